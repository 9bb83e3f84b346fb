package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Envoy's zone-aware routing of priority 0 ({@code ZoneAwareLoadBalancerBase}): which of the
 * upstream's localities a pick goes to, given the caller's own service (the local cluster).
 * Built on the balancer's serial executor with each snapshot whose inputs changed; read by every
 * event loop. A pick only draws randoms and bumps counters.
 */
final class ZoneRouting {
    private final ZoneRoutingPlan plan;
    private final List<HostSource> buckets;
    private final ZoneAwareLbConfig config;
    /** The local cluster in panic under the upstream's threshold; a pure function of the inputs. */
    private final boolean localClusterInPanic;

    private final LbCounters counters;
    private final Inputs inputs;

    /**
     * What the routing depends on; a snapshot whose inputs equal the previous one's reuses its
     * routing, so {@code lb_recalculate_zone_structures} counts only what Envoy recalculates
     * (a change in priority 0 or the local cluster), not every rebuild.
     */
    record Inputs(
            List<HostSpec> p0,
            List<Boolean> p0Healthy,
            LocalCluster local,
            ZoneAwareLbConfig config,
            int panicThreshold) {}

    private ZoneRouting(
            ZoneRoutingPlan plan,
            List<HostSource> buckets,
            ZoneAwareLbConfig config,
            boolean localClusterInPanic,
            LbCounters counters,
            Inputs inputs) {
        this.plan = plan;
        this.buckets = buckets;
        this.config = config;
        this.localClusterInPanic = localClusterInPanic;
        this.counters = counters;
        this.inputs = inputs;
    }

    /**
     * The routing for priority 0, or null without a local cluster (Envoy has no zone-aware
     * routing then). Reuses {@code previous} when nothing it depends on changed.
     */
    static @Nullable ZoneRouting build(
            List<Membership.Member> p0,
            Predicate<Membership.Member> healthy,
            ClusterLbConfig config,
            Cursors cursors,
            LbCounters counters,
            @Nullable ZoneRouting previous) {
        LocalCluster local = config.localCluster();
        if (local == null) {
            return null;
        }
        List<HostSpec> specs = new ArrayList<>(p0.size());
        List<Boolean> health = new ArrayList<>(p0.size());
        for (Membership.Member member : p0) {
            specs.add(member.spec());
            health.add(healthy.test(member));
        }
        Inputs inputs =
                new Inputs(List.copyOf(specs), List.copyOf(health), local, config.zoneAware(), config.panicThreshold());
        if (previous != null && previous.inputs.equals(inputs)) {
            return previous;
        }
        counters.onRecalculateZoneStructures();
        LocalityBuckets<Membership.Member> upstream =
                LocalityBuckets.of(p0, m -> m.spec().locality(), healthy, local.locality());
        List<HostSpec> localHosts =
                local.hosts().stream().filter(h -> h.priority() == 0).toList();
        LocalityBuckets<HostSpec> localBuckets =
                LocalityBuckets.of(localHosts, HostSpec::locality, HostSpec::healthy, local.locality());
        boolean byWeight = config.zoneAware().localityBasis() == ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_WEIGHT;
        ToLongFunction<Membership.Member> upstreamWeight =
                byWeight ? m -> m.spec().weight() : m -> 1;
        ToLongFunction<HostSpec> localWeight = byWeight ? HostSpec::weight : h -> 1;
        long upstreamHealthy = health.stream().filter(Boolean::booleanValue).count();
        ZoneRoutingPlan plan = ZoneRoutingPlan.compute(
                upstream, upstreamWeight, localBuckets, localWeight, upstreamHealthy, config.zoneAware(), counters);
        List<HostSource> sources = new ArrayList<>(upstream.size());
        for (int i = 0; i < upstream.size(); i++) {
            // Per-bucket round-robin state, as Envoy keeps per locality source.
            sources.add(HostSource.of(
                    upstream.healthy().get(i),
                    cursors.get("p0/zone/" + upstream.localities().get(i))));
        }
        long localHealthy = localHosts.stream().filter(HostSpec::healthy).count();
        boolean localPanic = PriorityLoad.inPanic(localHosts.size(), (int) localHealthy, config.panicThreshold());
        return new ZoneRouting(plan, List.copyOf(sources), config.zoneAware(), localPanic, counters, inputs);
    }

    /**
     * Steps d–g of Envoy's {@code hostSourceToUse} for priority 0 (not in panic, no locality
     * chosen by weight): the hosts to pick from, or null when {@code fail_traffic_on_panic} fails
     * the pick. An empty source is possible when a random zone is taken for lack of capacity.
     *
     * @param healthy priority 0's healthy hosts, the source whenever zone routing does not apply
     */
    @Nullable
    HostSource choose(HostSource healthy, RandomSource random) {
        if (plan.state() == ZoneRoutingPlan.State.NO_LOCALITY_ROUTING) {
            return healthy;
        }
        // Envoy samples runtime upstream.zone_routing.enabled with routing_enabled as the default
        // percentage; 100 and 0 need no draw.
        int enabled = config.routingEnabledPercent();
        if (enabled < 100 && (enabled == 0 || random.nextInt(100) >= enabled)) {
            return healthy;
        }
        if (localClusterInPanic) {
            counters.onLocalClusterNotOk();
            return config.failTrafficOnPanic() ? null : healthy;
        }
        return buckets.get(chooseBucket(random));
    }

    /** {@code tryChooseLocalLocalityHosts}: randoms drawn in Envoy's order (local sample, then zone). */
    int chooseBucket(RandomSource random) {
        if (plan.state() == ZoneRoutingPlan.State.LOCALITY_DIRECT) {
            counters.onZoneRoutingAllDirectly();
            return 0;
        }
        if (random.nextInt(10000) < plan.localPercentToRoute()) {
            counters.onZoneRoutingSampled();
            return 0;
        }
        counters.onZoneRoutingCrossZone();
        long[] residual = plan.residualCapacity();
        long total = residual[residual.length - 1];
        if (total == 0) {
            // Rounding left no spare capacity anywhere: Envoy takes a random zone, maybe an empty one.
            counters.onZoneNoCapacityLeft();
            return random.nextInt(residual.length);
        }
        long threshold = random.nextLong(total);
        int i = 0;
        while (threshold >= residual[i]) {
            i++;
        }
        return i;
    }

    ZoneRoutingPlan plan() {
        return plan;
    }

    List<HostSource> buckets() {
        return buckets;
    }

    @Override
    public String toString() {
        return "ZoneRouting{" + plan.state() + ", local " + plan.localPercentToRoute() + "bp, "
                + Objects.toString(inputs.local().locality()) + "}";
    }
}

package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The hosts of one priority, Envoy's {@code HostSet}: all of them, the healthy ones, and when
 * locality-weighted picking is on, the healthy ones per locality with a scheduler over the
 * localities' effective weights. Immutable.
 */
final class PriorityHostSet {
    private final int hostCount;
    private final HostSource all;
    private final HostSource healthy;
    private final List<LocalityHosts> localities;
    private final @Nullable StrideScheduler localityScheduler;
    private final List<HostSource> weightedLocalities;
    private final AtomicLong localityCursor;

    private PriorityHostSet(
            int hostCount,
            HostSource all,
            HostSource healthy,
            List<LocalityHosts> localities,
            @Nullable StrideScheduler localityScheduler,
            List<HostSource> weightedLocalities,
            AtomicLong localityCursor) {
        this.hostCount = hostCount;
        this.all = all;
        this.healthy = healthy;
        this.localities = localities;
        this.localityScheduler = localityScheduler;
        this.weightedLocalities = weightedLocalities;
        this.localityCursor = localityCursor;
    }

    /** @param healthy Envoy's host health: EDS-healthy and not ejected, as of this build */
    static PriorityHostSet build(
            int priority,
            List<Membership.Member> members,
            Predicate<Membership.Member> healthy,
            ClusterLbConfig config,
            Cursors cursors) {
        String prefix = "p" + priority + "/";
        List<Membership.Member> healthyMembers =
                members.stream().filter(healthy).toList();
        HostSource all = HostSource.of(members, cursors.get(prefix + "all"));
        HostSource healthySource = HostSource.of(healthyMembers, cursors.get(prefix + "healthy"));
        if (!config.localityWeighted()) {
            return new PriorityHostSet(
                    members.size(), all, healthySource, List.of(), null, List.of(), cursors.get(prefix + "localities"));
        }
        List<LocalityHosts> localities = groupByLocality(members, healthy, config.overprovisioningFactor());
        List<HostSource> weighted = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (LocalityHosts locality : localities) {
            // Localities with effective weight 0 get no turn (HostSetImpl skips them).
            if (locality.effectiveWeight() > 0) {
                weighted.add(HostSource.of(locality.healthy(), cursors.get(prefix + "locality/" + locality.name())));
                weights.add(locality.effectiveWeight());
            }
        }
        StrideScheduler scheduler = weights.isEmpty()
                ? null
                : new StrideScheduler(
                        weights.stream().mapToDouble(Double::doubleValue).toArray());
        return new PriorityHostSet(
                members.size(),
                all,
                healthySource,
                List.copyOf(localities),
                scheduler,
                List.copyOf(weighted),
                cursors.get(prefix + "localities"));
    }

    private static List<LocalityHosts> groupByLocality(
            List<Membership.Member> members, Predicate<Membership.Member> healthy, int overprovisioningFactor) {
        Map<String, List<Membership.Member>> byLocality = new LinkedHashMap<>();
        for (Membership.Member member : members) {
            byLocality
                    .computeIfAbsent(member.spec().locality(), k -> new ArrayList<>())
                    .add(member);
        }
        List<LocalityHosts> out = new ArrayList<>(byLocality.size());
        byLocality.forEach((name, hosts) -> out.add(LocalityHosts.of(name, hosts, healthy, overprovisioningFactor)));
        return out;
    }

    int hostCount() {
        return hostCount;
    }

    int healthyCount() {
        return healthy.hosts().size();
    }

    HostSource all() {
        return all;
    }

    HostSource healthy() {
        return healthy;
    }

    List<LocalityHosts> localities() {
        return localities;
    }

    /**
     * The healthy hosts of the next locality by effective weight, or null when no locality has a
     * positive effective weight (Envoy then balances over the priority's healthy hosts).
     */
    @Nullable
    HostSource nextLocality() {
        return localityScheduler == null ? null : weightedLocalities.get(localityScheduler.pick(localityCursor));
    }
}

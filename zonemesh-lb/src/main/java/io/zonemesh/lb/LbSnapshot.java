package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * An immutable view of the cluster for picking: hosts per priority, each priority's load and
 * panic state. Built only on the load balancer's {@link SerialExecutor} whenever membership,
 * config or a host's health changes, published with one volatile write, and read without locks
 * by every event loop (grpc-java's picker). Apart from the shared round-robin cursors, the only
 * thing a pick writes is the {@code lb_healthy_panic} counter.
 */
final class LbSnapshot {
    private final ClusterLbConfig config;
    private final LbCounters counters;
    private final HostSelector selector;
    private final List<PriorityHostSet> priorities;
    private final PriorityLoad load;
    /** Per priority, for consistent-hash policies; empty otherwise. */
    private final List<ConsistentHashTable> hashTables;
    /** Zone-aware routing of priority 0; null without a local cluster. */
    private final @Nullable ZoneRouting zoneRouting;
    /** Members ejected by outlier detection when this snapshot was built, to tell failover reasons apart. */
    private final int ejectedHosts;
    /** The priorities carrying traffic and their localities, for the failover event of the next rebuild. */
    private final List<FailoverEvent.PriorityShare> shares;

    private LbSnapshot(
            ClusterLbConfig config,
            LbCounters counters,
            HostSelector selector,
            List<PriorityHostSet> priorities,
            PriorityLoad load,
            List<ConsistentHashTable> hashTables,
            @Nullable ZoneRouting zoneRouting,
            int ejectedHosts,
            List<FailoverEvent.PriorityShare> shares) {
        this.config = config;
        this.counters = counters;
        this.selector = selector;
        this.priorities = priorities;
        this.load = load;
        this.hashTables = hashTables;
        this.zoneRouting = zoneRouting;
        this.ejectedHosts = ejectedHosts;
        this.shares = shares;
    }

    /**
     * @param previous the snapshot this one replaces, whose zone routing is kept when its inputs
     *     did not change (null for the first)
     */
    static LbSnapshot build(
            Membership membership,
            Cursors cursors,
            RandomSource random,
            LbCounters counters,
            @Nullable LbSnapshot previous) {
        int levels = 1;
        for (Membership.Member member : membership.members()) {
            levels = Math.max(levels, member.spec().priority() + 1);
        }
        // Envoy creates every host set from P0 to the highest priority; empty levels take part in
        // the load and panic computation with health 0.
        List<List<Membership.Member>> byPriority = new ArrayList<>(levels);
        for (int i = 0; i < levels; i++) {
            byPriority.add(new ArrayList<>());
        }
        for (Membership.Member member : membership.members()) {
            byPriority.get(member.spec().priority()).add(member);
        }
        // Read each host's ejection flag once, so the priority and locality views of this
        // snapshot agree (ejections happen on this same serial executor, but reading once keeps
        // the views consistent by construction).
        Set<UpstreamHost> healthyHosts = Collections.newSetFromMap(new IdentityHashMap<>());
        int ejected = 0;
        for (Membership.Member member : membership.members()) {
            boolean out = member.host().ejected();
            if (out) {
                ejected++;
            }
            if (member.spec().healthy() && !out) {
                healthyHosts.add(member.host());
            }
        }
        ClusterLbConfig config = membership.config();
        List<PriorityHostSet> sets = new ArrayList<>(levels);
        int[] hosts = new int[levels];
        int[] healthy = new int[levels];
        for (int i = 0; i < levels; i++) {
            PriorityHostSet set =
                    PriorityHostSet.build(i, byPriority.get(i), m -> healthyHosts.contains(m.host()), config, cursors);
            sets.add(set);
            hosts[i] = set.hostCount();
            healthy[i] = set.healthyCount();
        }
        PriorityLoad load =
                PriorityLoad.compute(hosts, healthy, config.overprovisioningFactor(), config.panicThreshold());
        List<FailoverEvent.PriorityShare> shares = shares(load, byPriority);
        if (previous != null) {
            FailoverReason failover = FailoverReason.of(previous.load, previous.ejectedHosts, load, ejected);
            if (failover != null) {
                counters.onFailover(failover, previous.shares, shares);
            }
        }
        List<ConsistentHashTable> tables = new ArrayList<>();
        if (config.policy().consistentHash()) {
            // Envoy's ThreadAwareLoadBalancerBase builds each priority's table over its healthy
            // hosts, or over all of them while the priority is in panic.
            for (int i = 0; i < levels; i++) {
                HostSource source =
                        load.panic(i) ? sets.get(i).all() : sets.get(i).healthy();
                tables.add(ConsistentHashTable.build(config.policy(), source, config.hash()));
            }
        }
        // Envoy's ring hash and Maglev do not derive from ZoneAwareLoadBalancerBase.
        ZoneRouting zoneRouting = config.policy().consistentHash()
                ? null
                : ZoneRouting.build(
                        byPriority.get(0),
                        m -> healthyHosts.contains(m.host()),
                        config,
                        cursors,
                        counters,
                        previous == null ? null : previous.zoneRouting);
        return new LbSnapshot(
                config,
                counters,
                HostSelector.forPolicy(config.policy(), random),
                List.copyOf(sets),
                load,
                List.copyOf(tables),
                zoneRouting,
                ejected,
                shares);
    }

    /** The priorities with a positive load, each with its localities in EDS order. */
    private static List<FailoverEvent.PriorityShare> shares(
            PriorityLoad load, List<List<Membership.Member>> byPriority) {
        List<FailoverEvent.PriorityShare> out = new ArrayList<>();
        for (int i = 0; i < load.levels(); i++) {
            if (load.load(i) > 0) {
                List<String> localities = byPriority.get(i).stream()
                        .map(m -> m.spec().locality())
                        .distinct()
                        .toList();
                out.add(new FailoverEvent.PriorityShare(i, load.load(i), load.panic(i), localities));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Envoy's {@code hostSourceToUse}: the priority by load, then all its hosts when it is in
     * panic (none with {@code fail_traffic_on_panic}), else one locality's healthy hosts when
     * locality-weighted picking is on, else for priority 0 the zone zone-aware routing chooses,
     * else its healthy hosts. Null when that set is empty ("no healthy upstream"). A priority in
     * panic counts toward {@code lb_healthy_panic}, as in Envoy's {@code hostSourceToUse}.
     */
    @Nullable
    HostSource chooseSource(RandomSource random) {
        return chooseSource(load, random);
    }

    /** {@link #chooseSource(RandomSource)} under another priority load (a retry's adjusted one). */
    @Nullable
    HostSource chooseSource(PriorityLoad priorityLoad, RandomSource random) {
        int priority = priorityLoad.choosePriority(random.nextInt(100));
        boolean panic = priorityLoad.panic(priority);
        if (panic) {
            counters.onHealthyPanic();
        }
        HostSource source = chooseWithin(priority, panic, random);
        return source == null || source.isEmpty() ? null : source;
    }

    private @Nullable HostSource chooseWithin(int priority, boolean panic, RandomSource random) {
        PriorityHostSet set = priorities.get(priority);
        if (panic) {
            return config.zoneAware().failTrafficOnPanic() ? null : set.all();
        }
        if (config.localityWeighted()) {
            HostSource locality = set.nextLocality();
            if (locality != null) {
                return locality;
            }
        }
        // Zone-aware routing covers priority 0 only (Envoy's NoLocalityRouting for P >= 1).
        if (priority == 0 && zoneRouting != null) {
            return zoneRouting.choose(set.healthy(), random);
        }
        return set.healthy();
    }

    /**
     * The consistent-hash table of the priority {@code hashPercent} (the hash modulo 100) falls
     * to under {@code priorityLoad}; only for {@link LbPolicy#consistentHash()} policies. A
     * priority in panic counts toward {@code lb_healthy_panic}, as in Envoy's
     * {@code ThreadAwareLoadBalancerBase::LoadBalancerImpl::chooseHost}.
     */
    ConsistentHashTable hashTableFor(PriorityLoad priorityLoad, int hashPercent) {
        int priority = priorityLoad.choosePriority(hashPercent);
        if (priorityLoad.panic(priority)) {
            counters.onHealthyPanic();
        }
        return hashTables.get(priority);
    }

    /** The consistent-hash table of {@code priority}. */
    ConsistentHashTable hashTable(int priority) {
        return hashTables.get(priority);
    }

    /** The cluster's {@code lb_policy}, applied to the chosen source. */
    HostSelector selector() {
        return selector;
    }

    ClusterLbConfig config() {
        return config;
    }

    PriorityLoad load() {
        return load;
    }

    List<PriorityHostSet> priorities() {
        return priorities;
    }

    @Nullable
    ZoneRouting zoneRouting() {
        return zoneRouting;
    }
}

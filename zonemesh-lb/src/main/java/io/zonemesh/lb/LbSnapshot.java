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
 * panic state. Rebuilt whenever membership, config or a host's health changes, and read
 * without locks by every event loop.
 */
final class LbSnapshot {
    private final long version;
    private final ClusterLbConfig config;
    private final HostSelector selector;
    private final List<PriorityHostSet> priorities;
    private final PriorityLoad load;
    /** Per priority, for consistent-hash policies; empty otherwise. */
    private final List<ConsistentHashTable> hashTables;

    private LbSnapshot(long version, ClusterLbConfig config, HostSelector selector, List<PriorityHostSet> priorities,
            PriorityLoad load, List<ConsistentHashTable> hashTables) {
        this.version = version;
        this.config = config;
        this.selector = selector;
        this.priorities = priorities;
        this.load = load;
        this.hashTables = hashTables;
    }

    static LbSnapshot build(long version, Membership membership, Cursors cursors, RandomSource random) {
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
        // snapshot agree even while event loops eject hosts concurrently.
        Set<UpstreamHost> healthyHosts = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Membership.Member member : membership.members()) {
            if (member.spec().healthy() && !member.host().ejected()) {
                healthyHosts.add(member.host());
            }
        }
        ClusterLbConfig config = membership.config();
        List<PriorityHostSet> sets = new ArrayList<>(levels);
        int[] hosts = new int[levels];
        int[] healthy = new int[levels];
        for (int i = 0; i < levels; i++) {
            PriorityHostSet set = PriorityHostSet.build(i, byPriority.get(i), m -> healthyHosts.contains(m.host()),
                    config, cursors);
            sets.add(set);
            hosts[i] = set.hostCount();
            healthy[i] = set.healthyCount();
        }
        PriorityLoad load = PriorityLoad.compute(hosts, healthy, config.overprovisioningFactor(),
                config.panicThreshold());
        List<ConsistentHashTable> tables = new ArrayList<>();
        if (config.policy().consistentHash()) {
            // Envoy's ThreadAwareLoadBalancerBase builds each priority's table over its healthy
            // hosts, or over all of them while the priority is in panic.
            for (int i = 0; i < levels; i++) {
                HostSource source = load.panic(i) ? sets.get(i).all() : sets.get(i).healthy();
                tables.add(ConsistentHashTable.build(config.policy(), source, config.hash()));
            }
        }
        return new LbSnapshot(version, config, HostSelector.forPolicy(config.policy(), random), List.copyOf(sets),
                load, List.copyOf(tables));
    }

    /**
     * Envoy's {@code hostSourceToUse}: the priority by load, then all its hosts when it is in
     * panic, else one locality's healthy hosts when locality-weighted picking is on, else its
     * healthy hosts. Null when that set is empty ("no healthy upstream").
     */
    @Nullable HostSource chooseSource(RandomSource random) {
        return chooseSource(load, random);
    }

    /** {@link #chooseSource(RandomSource)} under another priority load (a retry's adjusted one). */
    @Nullable HostSource chooseSource(PriorityLoad priorityLoad, RandomSource random) {
        int priority = priorityLoad.choosePriority(random.nextInt(100));
        HostSource source = chooseWithin(priorities.get(priority), priorityLoad.panic(priority));
        return source.isEmpty() ? null : source;
    }

    private HostSource chooseWithin(PriorityHostSet set, boolean panic) {
        if (panic) {
            return set.all();
        }
        if (config.localityWeighted()) {
            HostSource locality = set.nextLocality();
            if (locality != null) {
                return locality;
            }
        }
        return set.healthy();
    }

    /** The consistent-hash table of a priority; only for {@link LbPolicy#consistentHash()} policies. */
    ConsistentHashTable hashTable(int priority) {
        return hashTables.get(priority);
    }

    /** The cluster's {@code lb_policy}, applied to the chosen source. */
    HostSelector selector() {
        return selector;
    }

    long version() {
        return version;
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
}

package io.zonemesh.lb;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link ClusterLoadBalancer} following Envoy. Picks read an immutable {@link LbSnapshot} from
 * an atomic reference; membership, config and host health changes publish a new one. Per-host
 * state lives in atomics on {@link UpstreamHost}; ejection takes only that host's monitor.
 */
final class DefaultClusterLoadBalancer implements ClusterLoadBalancer {
    private final String clusterName;
    private final RandomSource random;
    private final Cursors cursors;
    private final OutlierDetector detector;
    private final OutlierSweep sweep;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<LbSnapshot> snapshot;
    private final Object updateLock = new Object();
    private volatile Membership membership;

    DefaultClusterLoadBalancer(String clusterName, ClusterLbConfig config, List<HostSpec> hosts, Clock clock,
            RandomSource random, Scheduler scheduler) {
        this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
        this.random = Objects.requireNonNull(random, "random");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        this.cursors = new Cursors(random.nextLong(Long.MAX_VALUE));
        this.membership = Membership.empty(config);
        this.snapshot = new AtomicReference<>(LbSnapshot.build(0, membership, cursors, random));
        this.detector = new OutlierDetector(clock, random, () -> membership, this::refresh);
        this.sweep = new OutlierSweep(clusterName, detector, () -> membership, scheduler, this::refresh);
        update(config, hosts);
    }

    @Override
    public @Nullable Host chooseHost(long hashKey, Set<Host> excluded, Set<Integer> excludedPriorities,
            int hostSelectionRetries) {
        Objects.requireNonNull(excluded, "excluded");
        Objects.requireNonNull(excludedPriorities, "excludedPriorities");
        if (hostSelectionRetries < 0) {
            throw new IllegalArgumentException("hostSelectionRetries: " + hostSelectionRetries + " (expected: >= 0)");
        }
        LbSnapshot current = snapshot();
        PriorityLoad load = current.load().excluding(excludedPriorities);
        if (current.config().policy().consistentHash()) {
            return chooseByHash(current, load, hashKey, excluded, hostSelectionRetries);
        }
        HostSelector hostSelector = current.selector();
        HostSource first = current.chooseSource(load, random);
        if (first == null) {
            return null;
        }
        if (excluded.isEmpty()) {
            return hostSelector.select(first);
        }
        // Envoy's retry host predicate (previous_hosts) re-runs the whole selection up to
        // host_selection_retry_max_attempts more times; each attempt here draws the priority and
        // locality again and then picks among that source's hosts that are not excluded. When
        // every attempt finds only excluded hosts, Envoy keeps its last pick; so do we.
        HostSource source = first;
        for (int attempt = 0; attempt <= hostSelectionRetries && source != null; attempt++) {
            HostSource remaining = source.excluding(excluded);
            if (!remaining.isEmpty()) {
                return hostSelector.select(remaining);
            }
            source = current.chooseSource(load, random);
        }
        return hostSelector.select(first);
    }

    /**
     * Envoy's {@code ThreadAwareLoadBalancerBase::LoadBalancerImpl::chooseHost}: the priority
     * from {@code hash % 100} over the (retry-adjusted) priority load, then that priority's table.
     * A re-selection for an excluded host flips the hash's high bits by the attempt number
     * ({@code hash ^ (~0 - attempt + 1)}), as Envoy's ring and Maglev tables do, so retries leave
     * the host without leaving the hash's neighbourhood entirely.
     */
    private @Nullable Host chooseByHash(LbSnapshot current, PriorityLoad load, long hashKey, Set<Host> excluded,
            int hostSelectionRetries) {
        Host chosen = null;
        for (int attempt = 0; attempt <= hostSelectionRetries; attempt++) {
            long hash = attempt == 0 ? hashKey : hashKey ^ (-1L - attempt + 1);
            int priority = load.choosePriority((int) Long.remainderUnsigned(hash, 100));
            chosen = current.hashTable(priority).choose(hash);
            if (chosen == null || !excluded.contains(chosen)) {
                return chosen;
            }
        }
        return chosen;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when two hosts share an {@code address:port}; nothing changes then
     */
    @Override
    public void update(ClusterLbConfig config, List<HostSpec> hosts) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hosts, "hosts");
        synchronized (updateLock) {
            Map<String, HostSpec> specs = new LinkedHashMap<>();
            for (HostSpec spec : hosts) {
                if (specs.putIfAbsent(spec.key(), Objects.requireNonNull(spec, "hosts[]")) != null) {
                    throw new IllegalArgumentException("hosts: duplicate " + spec.key() + " in cluster " + clusterName
                            + " (expected: each address:port once)");
                }
            }
            Membership old = membership;
            List<Membership.Member> members = new ArrayList<>(specs.size());
            Map<String, UpstreamHost> byKey = new HashMap<>();
            for (HostSpec spec : specs.values()) {
                UpstreamHost host = old.byKey().get(spec.key());
                if (host == null) {
                    host = new UpstreamHost(this, spec);
                } else {
                    host.spec(spec);
                }
                members.add(new Membership.Member(host, spec));
                byKey.put(spec.key(), host);
            }
            membership = new Membership(config, members, byKey);
            for (Map.Entry<String, UpstreamHost> entry : old.byKey().entrySet()) {
                if (!byKey.containsKey(entry.getKey())) {
                    detector.onHostRemoved(entry.getValue());
                }
            }
            if (config.outlierDetection() == null) {
                detector.unejectAll();
            }
            sweep.reconfigure();
        }
        refresh();
    }

    @Override
    public void onResponse(Host host, int httpStatus) {
        detector.onResponse(own(host), httpStatus);
    }

    @Override
    public void onLocalOriginFailure(Host host, LocalOriginFailure kind) {
        Objects.requireNonNull(kind, "kind");
        detector.onLocalOriginFailure(own(host), kind);
    }

    @Override
    public List<HostStatus> status() {
        List<HostStatus> out = new ArrayList<>();
        for (Membership.Member member : membership.members()) {
            UpstreamHost host = member.host();
            HostOutlierState state = host.outlier();
            out.add(new HostStatus(member.spec(), host.ejected(), state.numEjections(), host.activeRequests(),
                    state.successCount.get(), state.errorCount.get(), state.consecutive5xx.get()));
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        sweep.close();
    }

    /**
     * Publishes a snapshot that reflects every change made before this call. Lock-free: a build
     * started from an older change count never replaces a newer snapshot, and a caller whose
     * change is already covered by someone else's snapshot returns at once.
     */
    private void refresh() {
        long mine = changes.incrementAndGet();
        for (LbSnapshot current = snapshot(); current.version() < mine; current = snapshot()) {
            long version = changes.get();
            LbSnapshot next = LbSnapshot.build(version, membership, cursors, random);
            snapshot.compareAndSet(current, next);
        }
    }

    private UpstreamHost own(Host host) {
        Objects.requireNonNull(host, "host");
        if (host instanceof UpstreamHost upstream && upstream.ownedBy(this)) {
            return upstream;
        }
        throw new IllegalArgumentException("host: " + host + " (expected: a host chosen by cluster " + clusterName + ")");
    }

    LbSnapshot snapshot() {
        // Set in the constructor and only ever replaced by a built snapshot: never null.
        return Objects.requireNonNull(snapshot.get());
    }

    OutlierDetector detector() {
        return detector;
    }

    @Override
    public String toString() {
        return "ClusterLoadBalancer{" + clusterName + "}";
    }
}

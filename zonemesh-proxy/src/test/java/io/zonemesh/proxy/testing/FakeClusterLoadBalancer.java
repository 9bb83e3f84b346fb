package io.zonemesh.proxy.testing;

import io.zonemesh.common.Nullable;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.Host;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.lb.LbStats;
import io.zonemesh.lb.OutlierDetectionConfig;
import io.zonemesh.lb.OutlierEjectionType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A simple stand-in for zonemesh-lb: the lowest priority with a healthy, non-ejected host wins,
 * round robin within it; a host is ejected (for good) after {@code consecutive_5xx} 5xx or
 * local-origin failures in a row when the cluster has outlier detection. Records the calls the
 * proxy makes so tests can assert on them.
 */
public final class FakeClusterLoadBalancer implements ClusterLoadBalancer {
    private final String clusterName;
    private final Map<String, FakeHost> hosts = new LinkedHashMap<>();
    private final AtomicInteger cursor = new AtomicInteger();
    private final List<String> events = new ArrayList<>();
    private final List<Pick> picks = new ArrayList<>();
    private ClusterLbConfig config;
    private int updates;
    private long ejectionsTotal;
    private boolean closed;

    public FakeClusterLoadBalancer(String clusterName, ClusterLbConfig config, List<HostSpec> specs) {
        this.clusterName = clusterName;
        this.config = config;
        specs.forEach(s -> hosts.put(s.key(), new FakeHost(s)));
    }

    public String clusterName() {
        return clusterName;
    }

    /**
     * The lowest usable priority outside {@code excludedPriorities} (all of them when that leaves
     * none), round robin over its hosts outside {@code excluded} (all of them when none is left).
     */
    @Override
    public synchronized @Nullable Host chooseHost(
            long hashKey, Set<Host> excluded, Set<Integer> excludedPriorities, int hostSelectionRetries) {
        picks.add(new Pick(Set.copyOf(excluded), Set.copyOf(excludedPriorities), hostSelectionRetries));
        int best = lowestPriority(excludedPriorities);
        if (best == Integer.MAX_VALUE) {
            best = lowestPriority(Set.of());
        }
        List<FakeHost> candidates = new ArrayList<>();
        for (FakeHost host : hosts.values()) {
            if (host.usable() && host.spec.priority() == best && !excluded.contains(host)) {
                candidates.add(host);
            }
        }
        if (candidates.isEmpty()) {
            for (FakeHost host : hosts.values()) {
                if (host.usable() && host.spec.priority() == best) {
                    candidates.add(host);
                }
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        return candidates.get(Math.floorMod(cursor.getAndIncrement(), candidates.size()));
    }

    private int lowestPriority(Set<Integer> excludedPriorities) {
        int best = Integer.MAX_VALUE;
        for (FakeHost host : hosts.values()) {
            if (host.usable() && !excludedPriorities.contains(host.spec.priority())) {
                best = Math.min(best, host.spec.priority());
            }
        }
        return best;
    }

    @Override
    public synchronized void update(ClusterLbConfig newConfig, List<HostSpec> specs) {
        updates++;
        config = newConfig;
        Map<String, FakeHost> next = new LinkedHashMap<>();
        for (HostSpec spec : specs) {
            FakeHost existing = hosts.get(spec.key());
            next.put(spec.key(), existing != null ? existing.withSpec(spec) : new FakeHost(spec));
        }
        hosts.clear();
        hosts.putAll(next);
    }

    @Override
    public synchronized void onResponse(Host host, int httpStatus) {
        events.add("response " + host.spec().key() + " " + httpStatus);
        FakeHost fake = hosts.get(host.spec().key());
        if (fake == null) {
            return;
        }
        if (httpStatus >= 500) {
            fake.failure();
        } else {
            fake.success++;
            fake.consecutive5xx = 0;
        }
    }

    @Override
    public synchronized void onLocalOriginFailure(Host host, LocalOriginFailure kind) {
        events.add("failure " + host.spec().key() + " " + kind);
        FakeHost fake = hosts.get(host.spec().key());
        if (fake != null) {
            fake.failure();
        }
    }

    @Override
    public synchronized List<HostStatus> status() {
        List<HostStatus> out = new ArrayList<>();
        for (FakeHost host : hosts.values()) {
            out.add(new HostStatus(
                    host.spec,
                    host.ejected,
                    host.ejections,
                    host.active.get(),
                    host.success,
                    host.errors,
                    host.consecutive5xx));
        }
        return out;
    }

    /** Ejections so far (all counted as consecutive 5xx) and the hosts ejected now. */
    @Override
    public synchronized LbStats stats() {
        int active = (int) hosts.values().stream().filter(h -> h.ejected).count();
        Map<OutlierEjectionType, Long> ejections = Map.of(OutlierEjectionType.CONSECUTIVE_5XX, ejectionsTotal);
        return new LbStats(0, active, 0, ejections, ejections);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    public synchronized boolean closed() {
        return closed;
    }

    public synchronized int updates() {
        return updates;
    }

    public synchronized ClusterLbConfig config() {
        return config;
    }

    /** "response host:port status" and "failure host:port KIND" in call order. */
    /** What each {@code chooseHost} call asked for, in order. */
    public synchronized List<Pick> picks() {
        return List.copyOf(picks);
    }

    /** The arguments of one {@code chooseHost} call. */
    public record Pick(Set<Host> excluded, Set<Integer> excludedPriorities, int hostSelectionRetries) {}

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Active requests summed over hosts. */
    public synchronized int activeRequests() {
        return hosts.values().stream().mapToInt(h -> h.active.get()).sum();
    }

    private final class FakeHost implements Host {
        HostSpec spec;
        final AtomicInteger active;
        boolean ejected;
        int ejections;
        int consecutive5xx;
        long success;
        long errors;

        FakeHost(HostSpec spec) {
            this(spec, new AtomicInteger());
        }

        FakeHost(HostSpec spec, AtomicInteger active) {
            this.spec = spec;
            this.active = active;
        }

        FakeHost withSpec(HostSpec newSpec) {
            this.spec = newSpec;
            return this;
        }

        boolean usable() {
            return spec.healthy() && !ejected;
        }

        void failure() {
            errors++;
            consecutive5xx++;
            OutlierDetectionConfig od = config.outlierDetection();
            if (od != null && od.enforcingConsecutive5xx() > 0 && consecutive5xx >= od.consecutive5xx() && !ejected) {
                ejected = true;
                ejections++;
                ejectionsTotal++;
            }
        }

        @Override
        public HostSpec spec() {
            return spec;
        }

        @Override
        public boolean ejected() {
            synchronized (FakeClusterLoadBalancer.this) {
                return ejected;
            }
        }

        @Override
        public int activeRequests() {
            return active.get();
        }

        @Override
        public void onRequestStart() {
            active.incrementAndGet();
        }

        @Override
        public void onRequestEnd() {
            active.decrementAndGet();
        }
    }
}

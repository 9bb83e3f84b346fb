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
import java.util.concurrent.Executor;

/**
 * {@link ClusterLoadBalancer} following Envoy, with grpc-java's threading: one owner for all
 * state. Picks read an immutable {@link LbSnapshot} with one volatile read and never lock, wait
 * or build. Responses update per-host atomic counters on the calling event loop; a counter that
 * reaches its outlier threshold posts the ejection to the balancer's {@link SerialExecutor}.
 * Everything that changes state — EDS updates, ejections, the interval sweep's unejections,
 * snapshot builds (Maglev's 65,537 entries, rings) — runs on that executor, one task at a time,
 * as on Envoy's main thread; it publishes each change as a new snapshot.
 */
final class DefaultClusterLoadBalancer implements ClusterLoadBalancer {
    private final String clusterName;
    private final RandomSource random;
    private final Cursors cursors;
    private final LbCounters counters;
    private final SerialExecutor control;
    private final OutlierDetector detector;
    private final OutlierEjections ejections;
    private final OutlierSweep sweep;
    private volatile LbSnapshot snapshot;
    /** Written on {@link #control} only; volatile for the request path's config reads and the admin page. */
    private volatile Membership membership;
    // Confined to control: a snapshot build is already queued behind the current changes.
    private boolean rebuildQueued;

    DefaultClusterLoadBalancer(
            String clusterName,
            ClusterLbConfig config,
            List<HostSpec> hosts,
            Clock clock,
            RandomSource random,
            Scheduler scheduler,
            Executor controlExecutor) {
        this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
        this.random = Objects.requireNonNull(random, "random");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        this.counters = new LbCounters(clock);
        this.control = new SerialExecutor(clusterName, Objects.requireNonNull(controlExecutor, "controlExecutor"));
        this.cursors = new Cursors(random.nextLong(Long.MAX_VALUE));
        // A placeholder until update() below, before the constructor returns; without the local
        // cluster so that it does not count as a zone-structure recalculation.
        this.membership = Membership.empty(config.withLocalCluster(null));
        this.snapshot = LbSnapshot.build(membership, cursors, random, counters, null);
        this.ejections = new OutlierEjections(clock, random, () -> membership, counters, this::healthChanged);
        // Envoy's notifyMainThreadConsecutiveError: the event loop only posts; the ejection and
        // the snapshot build happen on the serial executor.
        OutlierEjections owner = ejections;
        this.detector = new OutlierDetector(
                () -> membership, (host, type) -> control.post(() -> owner.onConsecutiveError(host, type)));
        this.sweep = new OutlierSweep(ejections, () -> membership, scheduler, control, this::healthChanged);
        // Nobody else holds this balancer yet, so the update runs here, before the constructor returns.
        update(config, hosts);
    }

    @Override
    public @Nullable Host chooseHost(
            long hashKey, Set<Host> excluded, Set<Integer> excludedPriorities, int hostSelectionRetries) {
        Objects.requireNonNull(excluded, "excluded");
        Objects.requireNonNull(excludedPriorities, "excludedPriorities");
        if (hostSelectionRetries < 0) {
            throw new IllegalArgumentException("hostSelectionRetries: " + hostSelectionRetries + " (expected: >= 0)");
        }
        LbSnapshot current = snapshot;
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
    private @Nullable Host chooseByHash(
            LbSnapshot current, PriorityLoad load, long hashKey, Set<Host> excluded, int hostSelectionRetries) {
        Host chosen = null;
        for (int attempt = 0; attempt <= hostSelectionRetries; attempt++) {
            long hash = attempt == 0 ? hashKey : hashKey ^ (-1L - attempt + 1);
            chosen = current.hashTableFor(load, (int) Long.remainderUnsigned(hash, 100))
                    .choose(hash);
            if (chosen == null || !excluded.contains(chosen)) {
                return chosen;
            }
        }
        return chosen;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Validated on the caller; applied on the serial executor: before this returns when the
     * caller is the executor's owner (the xDS thread) or nothing else is running there, else
     * right after the change in progress.
     *
     * @throws IllegalArgumentException when two hosts share an {@code address:port} in the same
     *     locality and priority; nothing changes then
     */
    @Override
    public void update(ClusterLbConfig config, List<HostSpec> hosts) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(hosts, "hosts");
        Map<String, HostSpec> specs = new LinkedHashMap<>();
        for (HostSpec spec : hosts) {
            if (specs.putIfAbsent(Objects.requireNonNull(spec, "hosts[]").identity(), spec) != null) {
                throw new IllegalArgumentException("hosts: duplicate " + spec.identity() + " in cluster " + clusterName
                        + " (expected: each address:port once per locality and priority)");
            }
        }
        control.execute(() -> apply(config, List.copyOf(specs.values())));
    }

    /**
     * Envoy's {@code updateHosts} on the main thread: same identity, same host; same
     * {@code address:port}, same outlier state.
     *
     * <p>Why outlier state is per address and not per host: Envoy ejects per host object, and
     * since it dedups a CLA by address (istio#56355) one east-west gateway is one host object and
     * one outlier there. zonemesh keeps the gateway once per remote locality so the localities'
     * weights and failover survive, but what a connection reaches is still the one gateway
     * address; the gateway picks the remote backend itself, so a 5xx or connect failure says
     * nothing about the locality it was listed under. Sharing the state keeps Envoy's
     * observable behaviour: a dead gateway is ejected in all its localities at once, and counts
     * once toward {@code max_ejection_percent}.
     */
    private void apply(ClusterLbConfig config, List<HostSpec> specs) {
        Membership old = membership;
        List<Membership.Member> members = new ArrayList<>(specs.size());
        Map<String, UpstreamHost> byKey = new HashMap<>();
        Map<String, UpstreamHost> byAddress = new HashMap<>();
        for (HostSpec spec : specs) {
            UpstreamHost host = old.byKey().get(spec.identity());
            if (host == null) {
                UpstreamHost sibling = byAddress.get(spec.key());
                if (sibling == null) {
                    sibling = old.byAddress().get(spec.key());
                }
                host = new UpstreamHost(this, spec, sibling == null ? new HostOutlierState() : sibling.outlier());
            } else {
                host.spec(spec);
            }
            members.add(new Membership.Member(host, spec));
            byKey.put(spec.identity(), host);
            byAddress.putIfAbsent(spec.key(), host);
        }
        membership = new Membership(config, members, byKey, byAddress);
        for (Map.Entry<String, UpstreamHost> entry : old.byAddress().entrySet()) {
            if (!byAddress.containsKey(entry.getKey())) {
                ejections.onHostRemoved(entry.getValue());
            }
        }
        if (config.outlierDetection() == null) {
            ejections.unejectAll();
        }
        sweep.reconfigure();
        healthChanged();
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
            out.add(new HostStatus(
                    member.spec(),
                    host.ejected(),
                    state.numEjections(),
                    host.activeRequests(),
                    state.successCount.get(),
                    state.errorCount.get(),
                    state.consecutive5xx.get()));
        }
        return List.copyOf(out);
    }

    @Override
    public LbStats stats() {
        return counters.snapshot(ejections.activeEjections());
    }

    @Override
    public List<FailoverEvent> recentFailovers() {
        return counters.recentFailovers();
    }

    @Override
    public void close() {
        control.execute(sweep::close);
    }

    /**
     * Queues one snapshot build behind the changes in progress, so that a burst of ejections
     * (or an update that also unejects) publishes one snapshot, not one per host.
     */
    private void healthChanged() {
        if (!rebuildQueued) {
            rebuildQueued = true;
            control.executeLater(this::rebuild);
        }
    }

    private void rebuild() {
        rebuildQueued = false;
        snapshot = LbSnapshot.build(membership, cursors, random, counters, snapshot);
    }

    private UpstreamHost own(Host host) {
        Objects.requireNonNull(host, "host");
        if (host instanceof UpstreamHost upstream && upstream.ownedBy(this)) {
            // The detector sees one host per address:port (see apply); a host that has left
            // the cluster is passed as is, as before, and its state is no longer swept.
            UpstreamHost outlierHost =
                    membership.byAddress().get(upstream.spec().key());
            return outlierHost != null && outlierHost.outlier() == upstream.outlier() ? outlierHost : upstream;
        }
        throw new IllegalArgumentException(
                "host: " + host + " (expected: a host chosen by cluster " + clusterName + ")");
    }

    LbSnapshot snapshot() {
        return snapshot;
    }

    OutlierEjections detector() {
        return ejections;
    }

    /** The serial executor that owns this balancer's state (tests occupy it to show nothing waits for it). */
    SerialExecutor control() {
        return control;
    }

    @Override
    public String toString() {
        return "ClusterLoadBalancer{" + clusterName + "}";
    }
}

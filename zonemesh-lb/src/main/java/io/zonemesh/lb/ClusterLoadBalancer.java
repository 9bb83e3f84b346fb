package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Set;

/**
 * Envoy's load balancing for one cluster: priority load with the overprovisioning factor, panic
 * threshold, locality-weighted picking when enabled, the host policy, and outlier detection.
 * Thread-safe; {@link #chooseHost}, {@link #onResponse} and {@link #onLocalOriginFailure} are
 * called from every event loop and never block: picks read an immutable snapshot, results bump
 * atomic counters. Updates, ejections and unejections run on one serial executor that publishes
 * a new snapshot after each change.
 */
public interface ClusterLoadBalancer {
    /** Re-draws of {@link #chooseHost(long, Set)}: five draws in all, Istio's {@code host_selection_retry_max_attempts}. */
    int DEFAULT_HOST_SELECTION_RETRIES = 4;

    /**
     * Picks a host, or null when there is none to pick ("no healthy upstream": the proxy answers
     * 503 with response flag UH). Null happens when the chosen priority has no healthy host and is
     * not in panic, e.g. everything is unhealthy or ejected and the panic threshold is 0 (Istio's
     * default once outlier detection is set).
     *
     * @param hashKey the request's hash for {@code RING_HASH} and {@code MAGLEV} (a random value
     *     when the route has no hash policy, as Envoy draws one); other policies ignore it
     * @param excluded hosts to avoid when another choice exists (retry previous_hosts): like
     *     Envoy's host-selection retries, up to 5 draws of priority and locality are tried, each
     *     picking among that set's hosts that are not excluded; if all of them hold only excluded
     *     hosts, an excluded host is returned rather than none
     */
    default @Nullable Host chooseHost(long hashKey, Set<Host> excluded) {
        return chooseHost(hashKey, excluded, Set.of(), DEFAULT_HOST_SELECTION_RETRIES);
    }

    /**
     * Picks a host for a retry: {@link #chooseHost(long, Set)} with Envoy's retry plug-ins applied.
     *
     * @param excludedPriorities priorities the {@code previous_priorities} retry priority has
     *     already tried: their health counts as 0 and the priority load is redistributed over the
     *     others ({@code PreviousPrioritiesRetryPriority::adjustForAttemptedPriorities}); when
     *     that leaves nothing available, the normal load applies, as Envoy resets the exclusions
     * @param hostSelectionRetries {@code host_selection_retry_max_attempts}: how many times the
     *     priority and locality are drawn again when the draw holds only excluded hosts
     */
    @Nullable
    Host chooseHost(long hashKey, Set<Host> excluded, Set<Integer> excludedPriorities, int hostSelectionRetries);

    /**
     * Replaces config and hosts; hosts that stay (same address:port) keep their {@link Host}
     * instance, outlier state and counters. A host that leaves and comes back starts fresh.
     * Removing outlier detection from the config unejects every host.
     *
     * @throws IllegalArgumentException when two hosts share an address:port; nothing changes then
     */
    void update(ClusterLbConfig config, List<HostSpec> hosts);

    /**
     * The upstream answered with this HTTP status (external origin, for outlier detection). With
     * {@code split_external_local_origin_errors} it also counts as a successful connection,
     * ending a local-origin failure streak. A streak that reaches its threshold is ejected by
     * the serial executor right after, not on the caller's thread.
     *
     * @throws IllegalArgumentException when {@code host} was not chosen by this load balancer
     */
    void onResponse(Host host, int httpStatus);

    /**
     * A local-origin failure: connect failed, connection reset, or timeout. Not split: counted as
     * a 503 (connect failure, reset) or 504 (timeout) toward consecutive 5xx and gateway failures.
     * Split: counted toward {@code consecutive_local_origin_failure} only.
     *
     * @throws IllegalArgumentException when {@code host} was not chosen by this load balancer
     */
    void onLocalOriginFailure(Host host, LocalOriginFailure kind);

    /** Current hosts and state in EDS order, for the admin {@code /clusters} page. */
    List<HostStatus> status();

    /** Envoy's {@code lb_healthy_panic} and {@code outlier_detection.*} stats of this cluster, now. */
    LbStats stats();

    /**
     * The cluster's last failover events (at most 64), oldest first: the events behind
     * {@link LbStats#failovers()}. Balancers that keep none return an empty list.
     */
    default List<FailoverEvent> recentFailovers() {
        return List.of();
    }

    /** Stops timers. */
    void close();

    /** Local-origin failure kinds, mapped to 503/504 as Envoy does when not split. */
    enum LocalOriginFailure {
        CONNECT_FAILED,
        TIMEOUT,
        RESET
    }

    /**
     * A snapshot of one host for display.
     *
     * @param ejectionCount ejections since the host joined the cluster
     * @param successCount responses below 500
     * @param errorCount 5xx responses plus local-origin failures
     */
    record HostStatus(
            HostSpec spec,
            boolean ejected,
            int ejectionCount,
            int activeRequests,
            long successCount,
            long errorCount,
            int consecutive5xx) {}
}

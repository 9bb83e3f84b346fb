package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Set;

/**
 * Envoy's load balancing for one cluster: priority load with the overprovisioning factor, panic
 * threshold, locality-weighted picking when enabled, the host policy, and outlier detection.
 * Thread-safe; {@link #chooseHost} is called from every event loop.
 */
public interface ClusterLoadBalancer {

    /**
     * Picks a host, or null when there is none to pick ("no healthy upstream").
     *
     * @param hashKey a per-request random or hash value is drawn internally; this is reserved
     *     for consistent hashing and may be ignored
     * @param excluded hosts to avoid when another choice exists (retry previous_hosts)
     */
    @Nullable Host chooseHost(long hashKey, Set<Host> excluded);

    /** Replaces config and hosts; hosts that stay (same address:port) keep their outlier state. */
    void update(ClusterLbConfig config, List<HostSpec> hosts);

    /** The upstream answered with this HTTP status (external origin, for outlier detection). */
    void onResponse(Host host, int httpStatus);

    /** A local-origin failure: connect failed, connection reset, or timeout. */
    void onLocalOriginFailure(Host host, LocalOriginFailure kind);

    /** Current hosts and state, for the admin {@code /clusters} page. */
    List<HostStatus> status();

    /** Stops timers. */
    void close();

    /** Local-origin failure kinds, mapped to 503/504 as Envoy does when not split. */
    enum LocalOriginFailure { CONNECT_FAILED, TIMEOUT, RESET }

    /** A snapshot of one host for display. */
    record HostStatus(HostSpec spec, boolean ejected, int ejectionCount, int activeRequests, long successCount,
            long errorCount, int consecutive5xx) {}
}

package io.zonemesh.lb;

/**
 * Envoy's {@code Cluster.lb_policy} values the proxy implements.
 *
 * <ul>
 *   <li>{@code ROUND_ROBIN}: plain rotation over the chosen host set; weighted (stride
 *       scheduling) when the hosts' weights differ, as Envoy switches to EDF.</li>
 *   <li>{@code LEAST_REQUEST}: power of two choices on active requests when weights are equal;
 *       otherwise weight / (active + 1), Envoy's default {@code active_request_bias} of 1.</li>
 *   <li>{@code RANDOM}: uniform over the chosen host set; like Envoy, host weights are ignored.</li>
 *   <li>{@code RING_HASH}, {@code MAGLEV}: the request's hash picks the priority (as Envoy's
 *       thread-aware balancers do) and then a host from that priority's ring or table.</li>
 * </ul>
 */
public enum LbPolicy {
    ROUND_ROBIN,
    LEAST_REQUEST,
    RANDOM,
    RING_HASH,
    MAGLEV;

    /** Whether the host follows from the request's hash key. */
    public boolean consistentHash() {
        return this == RING_HASH || this == MAGLEV;
    }
}

package io.zonemesh.lb;

import io.zonemesh.common.Nullable;

/**
 * Why a cluster's traffic moved off its best priority (locality failover), the {@code reason} of
 * {@code zonemesh_failover_events_total}. Envoy has no such stat; it is the event behind a change
 * of the priority load that Envoy only shows as gauges.
 */
public enum FailoverReason {
    /** A priority entered panic: its traffic now goes to all its hosts, healthy or not. */
    PANIC("panic"),
    /** Outlier detection ejected hosts and the priority's health fell below what it carries. */
    OUTLIER_EJECTION("outlier_ejection"),
    /** EDS health or membership lowered the priority's health: traffic spills to the next one. */
    PRIORITY_UNHEALTHY("priority_unhealthy");

    private final String label;

    FailoverReason(String label) {
        this.label = label;
    }

    /** The metric label value. */
    public String label() {
        return label;
    }

    /**
     * The reason for the change from {@code before} to {@code after}, null when traffic did not
     * move to a worse priority: a failover is a rebuild that lowers the load on priority 0 (Envoy's
     * spill over the overprovisioning factor) or puts a priority in panic.
     *
     * @param ejectedBefore hosts ejected by outlier detection when {@code before} was built
     * @param ejectedAfter hosts ejected now
     */
    static @Nullable FailoverReason of(PriorityLoad before, int ejectedBefore, PriorityLoad after, int ejectedAfter) {
        for (int i = 0; i < after.levels(); i++) {
            boolean wasPanic = i < before.levels() && before.panic(i);
            if (after.panic(i) && !wasPanic && after.load(i) > 0) {
                return PANIC;
            }
        }
        if (after.load(0) >= before.load(0)) {
            return null;
        }
        return ejectedAfter > ejectedBefore ? OUTLIER_EJECTION : PRIORITY_UNHEALTHY;
    }
}

package io.zonemesh.lb;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster's load-balancer and outlier-detection stats at one moment, named as Envoy names them
 * under {@code cluster.<name>.}: counters only ever grow for the life of the load balancer.
 *
 * @param healthyPanic {@code lb_healthy_panic}: host selections made while the chosen priority
 *     was in panic (balanced over all its hosts)
 * @param ejectionsActive {@code outlier_detection.ejections_active}: hosts ejected now
 * @param ejectionsOverflow {@code outlier_detection.ejections_overflow}: ejections refused because
 *     {@code max_ejection_percent} was reached
 * @param ejectionsEnforced {@code outlier_detection.ejections_enforced_<type>}: ejections made, by type
 * @param ejectionsDetected {@code outlier_detection.ejections_detected_<type>}: hosts found to be
 *     outliers, whether or not max_ejection_percent and the {@code enforcing_*} roll let them be ejected
 * @param zoneRouting the {@code lb_zone_*} stats of zone-aware routing
 * @param failovers snapshot rebuilds that moved traffic off priority 0 or into panic, by reason
 *     (zonemesh's {@code zonemesh_failover_events_total}; Envoy has no such counter)
 */
public record LbStats(
        long healthyPanic,
        int ejectionsActive,
        long ejectionsOverflow,
        Map<OutlierEjectionType, Long> ejectionsEnforced,
        Map<OutlierEjectionType, Long> ejectionsDetected,
        ZoneRoutingStats zoneRouting,
        Map<FailoverReason, Long> failovers) {

    /** A load balancer that has done nothing yet. */
    public static final LbStats EMPTY = new LbStats(0, 0, 0, Map.of(), Map.of());

    /** Stats without failover counts. */
    public LbStats(
            long healthyPanic,
            int ejectionsActive,
            long ejectionsOverflow,
            Map<OutlierEjectionType, Long> ejectionsEnforced,
            Map<OutlierEjectionType, Long> ejectionsDetected,
            ZoneRoutingStats zoneRouting) {
        this(
                healthyPanic,
                ejectionsActive,
                ejectionsOverflow,
                ejectionsEnforced,
                ejectionsDetected,
                zoneRouting,
                Map.of());
    }

    /** Stats without zone-aware routing counts. */
    public LbStats(
            long healthyPanic,
            int ejectionsActive,
            long ejectionsOverflow,
            Map<OutlierEjectionType, Long> ejectionsEnforced,
            Map<OutlierEjectionType, Long> ejectionsDetected) {
        this(
                healthyPanic,
                ejectionsActive,
                ejectionsOverflow,
                ejectionsEnforced,
                ejectionsDetected,
                ZoneRoutingStats.EMPTY);
    }

    public LbStats {
        Objects.requireNonNull(zoneRouting, "zoneRouting");
        failovers = Map.copyOf(Objects.requireNonNull(failovers, "failovers"));
        ejectionsEnforced = complete(Objects.requireNonNull(ejectionsEnforced, "ejectionsEnforced"));
        ejectionsDetected = complete(Objects.requireNonNull(ejectionsDetected, "ejectionsDetected"));
    }

    /** {@code outlier_detection.ejections_enforced_total}: ejections of every type. */
    public long ejectionsEnforcedTotal() {
        return ejectionsEnforced.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Failover events of one reason. */
    public long failovers(FailoverReason reason) {
        return failovers.getOrDefault(reason, 0L);
    }

    public long ejectionsEnforced(OutlierEjectionType type) {
        return ejectionsEnforced.getOrDefault(type, 0L);
    }

    public long ejectionsDetected(OutlierEjectionType type) {
        return ejectionsDetected.getOrDefault(type, 0L);
    }

    /** Every type present, absent ones as 0, so readers need no null checks. */
    private static Map<OutlierEjectionType, Long> complete(Map<OutlierEjectionType, Long> counts) {
        Map<OutlierEjectionType, Long> out = new EnumMap<>(OutlierEjectionType.class);
        for (OutlierEjectionType type : OutlierEjectionType.values()) {
            out.put(type, counts.getOrDefault(type, 0L));
        }
        return Map.copyOf(out);
    }
}

package io.zonemesh.proxy.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.LbStats;
import io.zonemesh.lb.OutlierEjectionType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A cluster's {@link LbStats} as meters named after Envoy's stats with a {@code zonemesh.cluster.}
 * prefix in place of Envoy's {@code cluster.<name>.} (the cluster is a tag), so that
 * {@code cluster.X.outlier_detection.ejections_active} becomes
 * {@code zonemesh_cluster_outlier_detection_ejections_active{cluster="X"}} on /stats/prometheus.
 * Every meter reads the balancer when scraped; nothing is counted twice.
 */
final class LbStatsMeters {
    private static final String PREFIX = "zonemesh.cluster.";
    private static final String OUTLIER = PREFIX + "outlier_detection.";

    private LbStatsMeters() {}

    static List<Meter> register(MeterRegistry registry, ClusterLoadBalancer balancer, Tags tags) {
        List<Meter> meters = new ArrayList<>();
        meters.add(Gauge.builder(
                        OUTLIER + "ejections_active", balancer, b -> b.stats().ejectionsActive())
                .description("Hosts ejected by outlier detection now (Envoy's outlier_detection.ejections_active)")
                .tags(tags)
                .strongReference(true)
                .register(registry));
        meters.add(counter(
                registry,
                balancer,
                tags,
                OUTLIER + "ejections_enforced_total",
                "Ejections of every type",
                LbStats::ejectionsEnforcedTotal));
        meters.add(counter(
                registry,
                balancer,
                tags,
                OUTLIER + "ejections_overflow",
                "Ejections refused because max_ejection_percent was reached",
                LbStats::ejectionsOverflow));
        for (OutlierEjectionType type : OutlierEjectionType.values()) {
            meters.add(counter(
                    registry,
                    balancer,
                    tags,
                    OUTLIER + "ejections_enforced_" + type.statSuffix(),
                    "Ejections made for " + type.statSuffix(),
                    s -> s.ejectionsEnforced(type)));
            meters.add(counter(
                    registry,
                    balancer,
                    tags,
                    OUTLIER + "ejections_detected_" + type.statSuffix(),
                    "Outliers found by " + type.statSuffix() + ", ejected or not",
                    s -> s.ejectionsDetected(type)));
        }
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_healthy_panic",
                "Host selections made while the chosen priority was in panic",
                LbStats::healthyPanic));
        zoneRouting(registry, balancer, tags, meters);
        return meters;
    }

    /** Envoy's {@code lb_zone_*} zone-aware routing counters. */
    private static void zoneRouting(
            MeterRegistry registry, ClusterLoadBalancer balancer, Tags tags, List<Meter> meters) {
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_recalculate_zone_structures",
                "Rebuilds of the zone-aware routing state",
                s -> s.zoneRouting().recalculateZoneStructures()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_zone_cluster_too_small",
                "Zone-aware routing off: fewer healthy upstream hosts than min_cluster_size",
                s -> s.zoneRouting().zoneClusterTooSmall()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_local_cluster_not_ok",
                "Zone-aware routing off: no local host in the proxy's locality, or local cluster in panic",
                s -> s.zoneRouting().localClusterNotOk()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_zone_number_differs",
                "Never incremented since Envoy matched zones by locality",
                s -> s.zoneRouting().zoneNumberDiffers()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_zone_routing_all_directly",
                "Picks sent to the local zone, which has enough capacity",
                s -> s.zoneRouting().zoneRoutingAllDirectly()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_zone_routing_sampled",
                "Picks that stayed in the local zone by sampling",
                s -> s.zoneRouting().zoneRoutingSampled()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_zone_routing_cross_zone",
                "Picks that left the local zone",
                s -> s.zoneRouting().zoneRoutingCrossZone()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                PREFIX + "lb_zone_no_capacity_left",
                "Cross-zone picks that found no residual capacity",
                s -> s.zoneRouting().zoneNoCapacityLeft()));
    }

    private static Meter counter(
            MeterRegistry registry,
            ClusterLoadBalancer balancer,
            Tags tags,
            String name,
            String description,
            ToDoubleFunction<LbStats> value) {
        return FunctionCounter.builder(name, balancer, b -> value.applyAsDouble(b.stats()))
                .description(description + " (Envoy's " + name.substring(PREFIX.length()) + ")")
                .tags(tags)
                .register(registry);
    }
}

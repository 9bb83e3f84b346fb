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
 *
 * <p>The same stats are also exported in Envoy's own Prometheus form,
 * {@code envoy_cluster_<stat>{envoy_cluster_name="X"}}, so that dashboards written for Envoy and
 * Istio read them unchanged. One difference remains: the Prometheus client appends {@code _total}
 * to every counter, so Envoy's {@code envoy_cluster_lb_healthy_panic} is
 * {@code envoy_cluster_lb_healthy_panic_total} here (gauges such as
 * {@code envoy_cluster_outlier_detection_ejections_active} keep Envoy's name exactly).
 */
final class LbStatsMeters {
    private static final String ZONEMESH = "zonemesh.cluster.";
    private static final String ENVOY = "envoy.cluster.";

    private LbStatsMeters() {}

    /** Registers the stats of cluster {@code name} under zonemesh's and Envoy's names. */
    static List<Meter> register(MeterRegistry registry, ClusterLoadBalancer balancer, String name) {
        List<Meter> meters = new ArrayList<>();
        register(registry, balancer, ZONEMESH, Tags.of("cluster", name), meters);
        register(registry, balancer, ENVOY, Tags.of("envoy_cluster_name", name), meters);
        return meters;
    }

    private static void register(
            MeterRegistry registry, ClusterLoadBalancer balancer, String prefix, Tags tags, List<Meter> meters) {
        String outlier = prefix + "outlier_detection.";
        meters.add(Gauge.builder(
                        outlier + "ejections_active", balancer, b -> b.stats().ejectionsActive())
                .description("Hosts ejected by outlier detection now (Envoy's outlier_detection.ejections_active)")
                .tags(tags)
                .strongReference(true)
                .register(registry));
        meters.add(counter(
                registry,
                balancer,
                tags,
                outlier + "ejections_enforced_total",
                "Ejections of every type",
                LbStats::ejectionsEnforcedTotal));
        meters.add(counter(
                registry,
                balancer,
                tags,
                outlier + "ejections_overflow",
                "Ejections refused because max_ejection_percent was reached",
                LbStats::ejectionsOverflow));
        for (OutlierEjectionType type : OutlierEjectionType.values()) {
            meters.add(counter(
                    registry,
                    balancer,
                    tags,
                    outlier + "ejections_enforced_" + type.statSuffix(),
                    "Ejections made for " + type.statSuffix(),
                    s -> s.ejectionsEnforced(type)));
            meters.add(counter(
                    registry,
                    balancer,
                    tags,
                    outlier + "ejections_detected_" + type.statSuffix(),
                    "Outliers found by " + type.statSuffix() + ", ejected or not",
                    s -> s.ejectionsDetected(type)));
        }
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_healthy_panic",
                "Host selections made while the chosen priority was in panic",
                LbStats::healthyPanic));
        zoneRouting(registry, balancer, prefix, tags, meters);
    }

    /** Envoy's {@code lb_zone_*} zone-aware routing counters. */
    private static void zoneRouting(
            MeterRegistry registry, ClusterLoadBalancer balancer, String prefix, Tags tags, List<Meter> meters) {
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_recalculate_zone_structures",
                "Rebuilds of the zone-aware routing state",
                s -> s.zoneRouting().recalculateZoneStructures()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_zone_cluster_too_small",
                "Zone-aware routing off: fewer healthy upstream hosts than min_cluster_size",
                s -> s.zoneRouting().zoneClusterTooSmall()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_local_cluster_not_ok",
                "Zone-aware routing off: no local host in the proxy's locality, or local cluster in panic",
                s -> s.zoneRouting().localClusterNotOk()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_zone_number_differs",
                "Never incremented since Envoy matched zones by locality",
                s -> s.zoneRouting().zoneNumberDiffers()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_zone_routing_all_directly",
                "Picks sent to the local zone, which has enough capacity",
                s -> s.zoneRouting().zoneRoutingAllDirectly()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_zone_routing_sampled",
                "Picks that stayed in the local zone by sampling",
                s -> s.zoneRouting().zoneRoutingSampled()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_zone_routing_cross_zone",
                "Picks that left the local zone",
                s -> s.zoneRouting().zoneRoutingCrossZone()));
        meters.add(counter(
                registry,
                balancer,
                tags,
                prefix + "lb_zone_no_capacity_left",
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
                .description(description + " (Envoy's " + name.substring(name.indexOf("cluster.") + "cluster.".length())
                        + ")")
                .tags(tags)
                .register(registry);
    }
}

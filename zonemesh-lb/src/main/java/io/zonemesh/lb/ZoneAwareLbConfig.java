package io.zonemesh.lb;

/**
 * Envoy's zone-aware routing settings ({@code LocalityLbConfig.ZoneAwareLbConfig},
 * {@code envoy/extensions/load_balancing_policies/common/v3/common.proto}; the legacy
 * {@code Cluster.CommonLbConfig.ZoneAwareLbConfig} carries the first three). They take effect
 * only when the proxy has a local cluster ({@link LocalCluster}); without explicit settings Envoy
 * applies {@link #ENVOY_DEFAULTS}.
 *
 * @param routingEnabledPercent {@code routing_enabled}, rounded to a whole percent: the share of
 *     picks that try zone-aware routing at all (Envoy's runtime {@code upstream.zone_routing.enabled})
 * @param minClusterSize {@code min_cluster_size}: below this many healthy upstream hosts in
 *     priority 0, zone-aware routing is off ({@code lb_zone_cluster_too_small})
 * @param failTrafficOnPanic {@code fail_traffic_on_panic}: a priority or local cluster in panic
 *     yields no host instead of all hosts
 * @param forceLocalZone whether {@code force_local_zone} is set
 * @param forceLocalZoneMinSize {@code force_local_zone.min_size}: with {@code forceLocalZone},
 *     route everything to the local zone while it has at least this many healthy hosts
 * @param localityBasis {@code locality_basis}: how a zone's capacity is measured
 */
public record ZoneAwareLbConfig(
        int routingEnabledPercent,
        long minClusterSize,
        boolean failTrafficOnPanic,
        boolean forceLocalZone,
        long forceLocalZoneMinSize,
        LocalityBasis localityBasis) {

    /** {@code routing_enabled} 100 %, {@code min_cluster_size} 6, nothing forced, host counts. */
    public static final ZoneAwareLbConfig ENVOY_DEFAULTS =
            new ZoneAwareLbConfig(100, 6, false, false, 0, LocalityBasis.HEALTHY_HOSTS_NUM);

    /** {@code ZoneAwareLbConfig.LocalityBasis}. */
    public enum LocalityBasis {
        /** A zone weighs its number of healthy hosts. */
        HEALTHY_HOSTS_NUM,
        /** A zone weighs the sum of its healthy hosts' {@code load_balancing_weight}. */
        HEALTHY_HOSTS_WEIGHT
    }

    public ZoneAwareLbConfig {
        if (routingEnabledPercent < 0 || routingEnabledPercent > 100) {
            throw new IllegalArgumentException(
                    "routingEnabledPercent: " + routingEnabledPercent + " (expected: 0..100)");
        }
        if (minClusterSize < 0) {
            throw new IllegalArgumentException("minClusterSize: " + minClusterSize + " (expected: >= 0)");
        }
        if (forceLocalZoneMinSize < 0) {
            throw new IllegalArgumentException("forceLocalZoneMinSize: " + forceLocalZoneMinSize + " (expected: >= 0)");
        }
        java.util.Objects.requireNonNull(localityBasis, "localityBasis");
    }
}

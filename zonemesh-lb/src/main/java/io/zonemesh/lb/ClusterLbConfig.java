package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import java.util.Objects;

/**
 * The load-balancing parts of an Envoy Cluster.
 *
 * @param policy {@code Cluster.lb_policy}
 * @param overprovisioningFactor percent, Envoy default 140 ({@code policy.overprovisioning_factor})
 * @param panicThresholdPercent {@code common_lb_config.healthy_panic_threshold}, Envoy default 50;
 *     rounded to a whole percent as Envoy does ({@code PROTOBUF_PERCENT_TO_ROUNDED_INTEGER_OR_DEFAULT})
 * @param localityWeighted whether {@code common_lb_config.locality_weighted_lb_config} is set
 * @param outlierDetection null when the cluster has no {@code outlier_detection}
 * @param hash ring and table sizes for {@link LbPolicy#RING_HASH} and {@link LbPolicy#MAGLEV}
 * @param zoneAware {@code common_lb_config.zone_aware_lb_config} with Envoy's defaults for unset
 *     fields; its {@code fail_traffic_on_panic} applies with or without a local cluster
 * @param localCluster the proxy's local cluster, null when it has none: zone-aware routing then
 *     stays off, as in Envoy without {@code local_cluster_name}. Part of the config so that a
 *     change of the local cluster rebuilds the snapshot, as Envoy's member-update callback on the
 *     local priority set regenerates the zone-routing structures
 */
public record ClusterLbConfig(
        LbPolicy policy,
        int overprovisioningFactor,
        double panicThresholdPercent,
        boolean localityWeighted,
        @Nullable OutlierDetectionConfig outlierDetection,
        HashConfig hash,
        ZoneAwareLbConfig zoneAware,
        @Nullable LocalCluster localCluster) {

    public static final ClusterLbConfig ENVOY_DEFAULTS =
            new ClusterLbConfig(LbPolicy.ROUND_ROBIN, 140, 50, false, null);

    /** A config with Envoy's default ring and table sizes. */
    public ClusterLbConfig(
            LbPolicy policy,
            int overprovisioningFactor,
            double panicThresholdPercent,
            boolean localityWeighted,
            @Nullable OutlierDetectionConfig outlierDetection) {
        this(
                policy,
                overprovisioningFactor,
                panicThresholdPercent,
                localityWeighted,
                outlierDetection,
                HashConfig.ENVOY_DEFAULTS);
    }

    /** A config without zone-aware settings or local cluster. */
    public ClusterLbConfig(
            LbPolicy policy,
            int overprovisioningFactor,
            double panicThresholdPercent,
            boolean localityWeighted,
            @Nullable OutlierDetectionConfig outlierDetection,
            HashConfig hash) {
        this(
                policy,
                overprovisioningFactor,
                panicThresholdPercent,
                localityWeighted,
                outlierDetection,
                hash,
                ZoneAwareLbConfig.ENVOY_DEFAULTS,
                null);
    }

    public ClusterLbConfig {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(zoneAware, "zoneAware");
        if (overprovisioningFactor <= 0) {
            throw new IllegalArgumentException(
                    "overprovisioningFactor: " + overprovisioningFactor + " (expected: > 0)");
        }
        if (!(panicThresholdPercent >= 0 && panicThresholdPercent <= 100)) {
            throw new IllegalArgumentException(
                    "panicThresholdPercent: " + panicThresholdPercent + " (expected: 0..100)");
        }
    }

    /** This config with another local cluster (null: none). */
    public ClusterLbConfig withLocalCluster(@Nullable LocalCluster local) {
        return new ClusterLbConfig(
                policy,
                overprovisioningFactor,
                panicThresholdPercent,
                localityWeighted,
                outlierDetection,
                hash,
                zoneAware,
                local);
    }

    /** The panic threshold as Envoy's load balancer sees it: a whole percent. */
    int panicThreshold() {
        return (int) Math.round(panicThresholdPercent);
    }
}

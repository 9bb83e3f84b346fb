package io.zonemesh.lb;

import io.zonemesh.common.Nullable;

/**
 * The load-balancing parts of an Envoy Cluster.
 *
 * @param overprovisioningFactor percent, Envoy default 140 ({@code policy.overprovisioning_factor})
 * @param panicThresholdPercent {@code common_lb_config.healthy_panic_threshold}, Envoy default 50
 * @param localityWeighted whether {@code common_lb_config.locality_weighted_lb_config} is set
 * @param outlierDetection null when the cluster has no {@code outlier_detection}
 */
public record ClusterLbConfig(LbPolicy policy, int overprovisioningFactor, double panicThresholdPercent,
        boolean localityWeighted, @Nullable OutlierDetectionConfig outlierDetection) {

    public static final ClusterLbConfig ENVOY_DEFAULTS = new ClusterLbConfig(LbPolicy.ROUND_ROBIN, 140, 50, false, null);
}

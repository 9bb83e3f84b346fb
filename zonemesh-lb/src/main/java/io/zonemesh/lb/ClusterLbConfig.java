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
 */
public record ClusterLbConfig(LbPolicy policy, int overprovisioningFactor, double panicThresholdPercent,
        boolean localityWeighted, @Nullable OutlierDetectionConfig outlierDetection) {

    public static final ClusterLbConfig ENVOY_DEFAULTS = new ClusterLbConfig(LbPolicy.ROUND_ROBIN, 140, 50, false, null);

    public ClusterLbConfig {
        Objects.requireNonNull(policy, "policy");
        if (overprovisioningFactor <= 0) {
            throw new IllegalArgumentException(
                    "overprovisioningFactor: " + overprovisioningFactor + " (expected: > 0)");
        }
        if (!(panicThresholdPercent >= 0 && panicThresholdPercent <= 100)) {
            throw new IllegalArgumentException(
                    "panicThresholdPercent: " + panicThresholdPercent + " (expected: 0..100)");
        }
    }

    /** The panic threshold as Envoy's load balancer sees it: a whole percent. */
    int panicThreshold() {
        return (int) Math.round(panicThresholdPercent);
    }
}

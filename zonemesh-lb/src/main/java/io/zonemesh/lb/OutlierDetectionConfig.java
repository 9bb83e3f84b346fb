package io.zonemesh.lb;

import java.time.Duration;

/**
 * Envoy's {@code Cluster.outlier_detection}, with Envoy's defaults filled in for unset fields
 * (LOCALITY.md §3.4). Built by the proxy's xDS translation from the proto.
 */
public record OutlierDetectionConfig(
        int consecutive5xx,
        int enforcingConsecutive5xx,
        int consecutiveGatewayFailure,
        int enforcingConsecutiveGatewayFailure,
        boolean splitExternalLocalOriginErrors,
        int consecutiveLocalOriginFailure,
        int enforcingConsecutiveLocalOriginFailure,
        Duration interval,
        Duration baseEjectionTime,
        Duration maxEjectionTime,
        Duration maxEjectionTimeJitter,
        int maxEjectionPercent,
        boolean alwaysEjectOneHost) {

    /** Envoy's defaults for an {@code outlier_detection {}} message with nothing set. */
    public static final OutlierDetectionConfig ENVOY_DEFAULTS = new OutlierDetectionConfig(
            5, 100, 5, 0, false, 5, 100, Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(300), Duration.ZERO, 10, false);
}

package io.zonemesh.lb;

import java.time.Duration;
import java.util.Objects;

/**
 * Envoy's {@code Cluster.outlier_detection}, with Envoy's defaults filled in for unset fields
 * (LOCALITY.md §3.4). Built by the proxy's xDS translation from the proto. Success-rate
 * ejection is not implemented (Istio always sends {@code enforcing_success_rate: 0}).
 *
 * @param maxEjectionTime Envoy's default is {@code max(300s, baseEjectionTime)}; the translator fills it in
 * @param failurePercentageThreshold percent of failed requests at or above which a host is ejected
 * @param enforcingFailurePercentage Envoy default 0: detected but not enforced unless set
 * @param enforcingFailurePercentageLocalOrigin the same for local-origin errors when split
 * @param failurePercentageMinimumHosts hosts in the cluster with enough volume before the algorithm runs
 * @param failurePercentageRequestVolume requests in one interval before a host is considered
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
        boolean alwaysEjectOneHost,
        int failurePercentageThreshold,
        int enforcingFailurePercentage,
        int enforcingFailurePercentageLocalOrigin,
        int failurePercentageMinimumHosts,
        int failurePercentageRequestVolume) {

    /** Envoy's defaults for an {@code outlier_detection {}} message with nothing set. */
    public static final OutlierDetectionConfig ENVOY_DEFAULTS = new OutlierDetectionConfig(
            5,
            100,
            5,
            0,
            false,
            5,
            100,
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofSeconds(300),
            Duration.ZERO,
            10,
            false);

    public OutlierDetectionConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
        Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
        Objects.requireNonNull(maxEjectionTimeJitter, "maxEjectionTimeJitter");
        requireNonNegative("consecutive5xx", consecutive5xx);
        requireNonNegative("consecutiveGatewayFailure", consecutiveGatewayFailure);
        requireNonNegative("consecutiveLocalOriginFailure", consecutiveLocalOriginFailure);
        requireNonNegative("failurePercentageMinimumHosts", failurePercentageMinimumHosts);
        requireNonNegative("failurePercentageRequestVolume", failurePercentageRequestVolume);
        requirePercent("enforcingConsecutive5xx", enforcingConsecutive5xx);
        requirePercent("enforcingConsecutiveGatewayFailure", enforcingConsecutiveGatewayFailure);
        requirePercent("enforcingConsecutiveLocalOriginFailure", enforcingConsecutiveLocalOriginFailure);
        requirePercent("maxEjectionPercent", maxEjectionPercent);
        requirePercent("failurePercentageThreshold", failurePercentageThreshold);
        requirePercent("enforcingFailurePercentage", enforcingFailurePercentage);
        requirePercent("enforcingFailurePercentageLocalOrigin", enforcingFailurePercentageLocalOrigin);
        requirePositive("interval", interval);
        requirePositive("baseEjectionTime", baseEjectionTime);
        if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
            // DetectorImpl::create: "max_ejection_time cannot be smaller than base_ejection_time".
            throw new IllegalArgumentException("maxEjectionTime: " + maxEjectionTime
                    + " (expected: >= baseEjectionTime " + baseEjectionTime + ")");
        }
        if (maxEjectionTimeJitter.isNegative()) {
            throw new IllegalArgumentException("maxEjectionTimeJitter: " + maxEjectionTimeJitter + " (expected: >= 0)");
        }
    }

    /** The consecutive-error fields only; failure-percentage fields take Envoy's defaults. */
    public OutlierDetectionConfig(
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
        this(
                consecutive5xx,
                enforcingConsecutive5xx,
                consecutiveGatewayFailure,
                enforcingConsecutiveGatewayFailure,
                splitExternalLocalOriginErrors,
                consecutiveLocalOriginFailure,
                enforcingConsecutiveLocalOriginFailure,
                interval,
                baseEjectionTime,
                maxEjectionTime,
                maxEjectionTimeJitter,
                maxEjectionPercent,
                alwaysEjectOneHost,
                85,
                0,
                0,
                5,
                50);
    }

    /** A copy with the failure-percentage algorithm configured. */
    public OutlierDetectionConfig withFailurePercentage(
            int threshold, int enforcing, int enforcingLocalOrigin, int minimumHosts, int requestVolume) {
        return new OutlierDetectionConfig(
                consecutive5xx,
                enforcingConsecutive5xx,
                consecutiveGatewayFailure,
                enforcingConsecutiveGatewayFailure,
                splitExternalLocalOriginErrors,
                consecutiveLocalOriginFailure,
                enforcingConsecutiveLocalOriginFailure,
                interval,
                baseEjectionTime,
                maxEjectionTime,
                maxEjectionTimeJitter,
                maxEjectionPercent,
                alwaysEjectOneHost,
                threshold,
                enforcing,
                enforcingLocalOrigin,
                minimumHosts,
                requestVolume);
    }

    private static void requireNonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
        }
    }

    private static void requirePercent(String field, int value) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0..100)");
        }
    }

    private static void requirePositive(String field, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: > 0)");
        }
    }
}

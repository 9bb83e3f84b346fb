package io.zonemesh.lb;

/**
 * Why outlier detection ejected a host: Envoy's {@code envoy.data.cluster.v3.OutlierEjectionType}
 * for the algorithms zonemesh implements (success-rate ejection is not one of them).
 */
public enum OutlierEjectionType {
    CONSECUTIVE_5XX("consecutive_5xx"),
    CONSECUTIVE_GATEWAY_FAILURE("consecutive_gateway_failure"),
    CONSECUTIVE_LOCAL_ORIGIN_FAILURE("consecutive_local_origin_failure"),
    FAILURE_PERCENTAGE("failure_percentage"),
    FAILURE_PERCENTAGE_LOCAL_ORIGIN("local_origin_failure_percentage");

    private final String statSuffix;

    OutlierEjectionType(String statSuffix) {
        this.statSuffix = statSuffix;
    }

    /**
     * The end of Envoy's stat names for this type, as in
     * {@code outlier_detection.ejections_enforced_<suffix>} and {@code ejections_detected_<suffix>}.
     */
    public String statSuffix() {
        return statSuffix;
    }

    int enforcing(OutlierDetectionConfig config) {
        return switch (this) {
            case CONSECUTIVE_5XX -> config.enforcingConsecutive5xx();
            case CONSECUTIVE_GATEWAY_FAILURE -> config.enforcingConsecutiveGatewayFailure();
            case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> config.enforcingConsecutiveLocalOriginFailure();
            case FAILURE_PERCENTAGE -> config.enforcingFailurePercentage();
            case FAILURE_PERCENTAGE_LOCAL_ORIGIN -> config.enforcingFailurePercentageLocalOrigin();
        };
    }

    /** Restarts the streak that fired, even when the ejection did not happen (Envoy does too). */
    void resetStreak(HostOutlierState state) {
        switch (this) {
            case CONSECUTIVE_5XX -> state.consecutive5xx.set(0);
            case CONSECUTIVE_GATEWAY_FAILURE -> state.consecutiveGatewayFailure.set(0);
            case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> state.consecutiveLocalOriginFailure.set(0);
            case FAILURE_PERCENTAGE, FAILURE_PERCENTAGE_LOCAL_ORIGIN -> {}
        }
    }
}

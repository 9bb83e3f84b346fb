package io.zonemesh.proxy.config;

/**
 * A cluster's {@code circuit_breakers.thresholds} for priority DEFAULT, with Envoy's defaults for
 * unset fields. Values saturate at {@link Integer#MAX_VALUE} (Istio sends MaxUint32, "no limit").
 */
public record CircuitBreakerThresholds(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {

    /** Envoy's defaults: 1024 connections, pending requests and requests, 3 concurrent retries. */
    public static final CircuitBreakerThresholds ENVOY_DEFAULTS = new CircuitBreakerThresholds(1024, 1024, 1024, 3);

    public CircuitBreakerThresholds {
        check("maxConnections", maxConnections);
        check("maxPendingRequests", maxPendingRequests);
        check("maxRequests", maxRequests);
        check("maxRetries", maxRetries);
    }

    private static void check(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
        }
    }
}

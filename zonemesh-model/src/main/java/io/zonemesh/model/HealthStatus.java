package io.zonemesh.model;

/**
 * Endpoint health as the registry knows it: unready endpoints are sent as UNHEALTHY, endpoints
 * of a terminating pod that still serve as DRAINING (Envoy's {@code HealthStatus.DRAINING}).
 */
public enum HealthStatus {
    HEALTHY,
    UNHEALTHY,
    DRAINING
}

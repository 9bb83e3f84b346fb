package io.zonemesh.model;

/** Endpoint health as the registry knows it; unready endpoints are sent as UNHEALTHY. */
public enum HealthStatus { HEALTHY, UNHEALTHY }

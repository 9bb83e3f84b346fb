package io.zonemesh.proxy.snapshot;

import io.zonemesh.proxy.config.CircuitBreakerThresholds;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live circuit breakers of one cluster in this proxy: Envoy's per-cluster
 * {@code ResourceManager} for priority DEFAULT, counted across every event loop (Envoy's
 * counters are shared by its workers too). Outlives snapshots while the cluster stays, so a
 * config push changes the limits without forgetting what is open. Thread-safe.
 */
public final class CircuitBreakers {
    private volatile CircuitBreakerThresholds thresholds;
    private final ResourceLimit connections = new ResourceLimit(() -> thresholds.maxConnections());
    private final ResourceLimit pendingRequests = new ResourceLimit(() -> thresholds.maxPendingRequests());
    private final ResourceLimit requests = new ResourceLimit(() -> thresholds.maxRequests());
    private final ResourceLimit retries = new ResourceLimit(() -> thresholds.maxRetries());
    private final AtomicLong overflows = new AtomicLong();

    public CircuitBreakers(CircuitBreakerThresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /** Applies new limits to later acquisitions. */
    public void update(CircuitBreakerThresholds next) {
        thresholds = Objects.requireNonNull(next, "thresholds");
    }

    public CircuitBreakerThresholds thresholds() {
        return thresholds;
    }

    /** Open upstream connections ({@code max_connections}). */
    public ResourceLimit connections() {
        return connections;
    }

    /** Requests waiting for a connection ({@code max_pending_requests}). */
    public ResourceLimit pendingRequests() {
        return pendingRequests;
    }

    /** Requests in flight ({@code max_requests}). */
    public ResourceLimit requests() {
        return requests;
    }

    /** Retries in flight ({@code max_retries}). */
    public ResourceLimit retries() {
        return retries;
    }

    /** Counts a request or retry refused by a breaker (Envoy's {@code upstream_rq_*_overflow}). */
    public void onOverflow() {
        overflows.incrementAndGet();
    }

    /** Requests and retries refused so far. */
    public long overflows() {
        return overflows.get();
    }
}

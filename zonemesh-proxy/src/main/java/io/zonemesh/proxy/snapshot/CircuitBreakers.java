package io.zonemesh.proxy.snapshot;

import io.zonemesh.proxy.config.CircuitBreakerThresholds;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

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
    private final AtomicLongArray overflows = new AtomicLongArray(Resource.values().length);

    /** The four resources of a priority's thresholds, named as Envoy's stats name them. */
    public enum Resource {
        CONNECTIONS("connections"),
        PENDING_REQUESTS("pending_requests"),
        REQUESTS("requests"),
        RETRIES("retries");

        private final String label;

        Resource(String label) {
            this.label = label;
        }

        /** The metric tag value. */
        public String label() {
            return label;
        }

        /** This resource's counter in {@code breakers}. */
        public ResourceLimit limit(CircuitBreakers breakers) {
            return switch (this) {
                case CONNECTIONS -> breakers.connections;
                case PENDING_REQUESTS -> breakers.pendingRequests;
                case REQUESTS -> breakers.requests;
                case RETRIES -> breakers.retries;
            };
        }
    }

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

    /**
     * Counts a refusal: Envoy's {@code upstream_cx_overflow} (a connection not opened, the
     * request waits), {@code upstream_rq_pending_overflow}, and {@code upstream_rq_retry_overflow}.
     */
    @SuppressWarnings("EnumOrdinal") // overflows is a lock-free EnumMap of counters, indexed by ordinal
    public void onOverflow(Resource resource) {
        overflows.incrementAndGet(resource.ordinal());
    }

    /** Refusals of {@code resource} so far. */
    @SuppressWarnings("EnumOrdinal") // see onOverflow
    public long overflows(Resource resource) {
        return overflows.get(resource.ordinal());
    }
}

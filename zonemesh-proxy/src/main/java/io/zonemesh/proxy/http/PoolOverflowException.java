package io.zonemesh.proxy.http;

import io.zonemesh.proxy.snapshot.CircuitBreakers;

/** A connection pool refused a request because a circuit breaker of its cluster was full. */
final class PoolOverflowException extends Exception {
    private static final long serialVersionUID = 1L;

    PoolOverflowException(CircuitBreakers.Resource resource) {
        super(resource.label() + " circuit breaker full", null, false, false);
    }
}

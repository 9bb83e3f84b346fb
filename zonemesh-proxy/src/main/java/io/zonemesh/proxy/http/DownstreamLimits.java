package io.zonemesh.proxy.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What bounds a listener's downstream connections (issue 8: idle connections must not exhaust
 * the proxy).
 *
 * @param requestHeadersTimeout Envoy's HCM {@code request_headers_timeout}, here armed from
 *     accept; zero disables it
 * @param idleTimeout Envoy's HCM {@code idle_timeout}: an HTTP/1.1 connection without a request
 *     for this long is closed; zero disables it
 * @param maxConnections connections a listener holds at once (Envoy's per-listener
 *     {@code connection_limit}); more are answered 503 "envoy overloaded" and closed
 */
public record DownstreamLimits(Duration requestHeadersTimeout, Duration idleTimeout, int maxConnections) {
    public DownstreamLimits {
        requireNonNegative(requestHeadersTimeout, "requestHeadersTimeout");
        requireNonNegative(idleTimeout, "idleTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
        }
    }

    private static void requireNonNegative(Duration value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: >= 0)");
        }
    }
}

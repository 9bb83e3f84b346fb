package io.zonemesh.proxy.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection reuse settings from a cluster's {@code HttpProtocolOptions}
 * ({@code common_http_protocol_options}).
 *
 * @param maxRequestsPerConnection 0 for unlimited; 1 disables keep-alive reuse
 * @param idleTimeout how long a pooled connection may stay idle; {@link Duration#ZERO} disables
 *     the timeout (Envoy's default is 1h)
 * @param maxConnectionDuration how long a connection may live before it is closed once idle;
 *     {@link Duration#ZERO} means no limit (Envoy's default)
 * @param http2 {@code explicit_http_config.http2_protocol_options}: requests go upstream as
 *     streams of one HTTP/2 (h2c, or h2 over TLS) connection per host and event loop
 */
public record UpstreamHttpOptions(
        int maxRequestsPerConnection, Duration idleTimeout, Duration maxConnectionDuration, boolean http2) {

    /** HTTP/1.1 options. */
    public UpstreamHttpOptions(int maxRequestsPerConnection, Duration idleTimeout, Duration maxConnectionDuration) {
        this(maxRequestsPerConnection, idleTimeout, maxConnectionDuration, false);
    }

    /** Envoy's defaults: unlimited requests per connection, one hour idle timeout, no age limit. */
    public static final UpstreamHttpOptions ENVOY_DEFAULTS =
            new UpstreamHttpOptions(0, Duration.ofHours(1), Duration.ZERO);

    public UpstreamHttpOptions {
        if (maxRequestsPerConnection < 0) {
            throw new IllegalArgumentException(
                    "maxRequestsPerConnection: " + maxRequestsPerConnection + " (expected: >= 0)");
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: >= 0)");
        }
        Objects.requireNonNull(maxConnectionDuration, "maxConnectionDuration");
        if (maxConnectionDuration.isNegative()) {
            throw new IllegalArgumentException("maxConnectionDuration: " + maxConnectionDuration + " (expected: >= 0)");
        }
    }
}

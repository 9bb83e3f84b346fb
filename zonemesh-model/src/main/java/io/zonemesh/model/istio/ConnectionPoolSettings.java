package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.time.Duration;

/** {@code trafficPolicy.connectionPool}; null fields were not set by the user. */
public record ConnectionPoolSettings(
        @Nullable Tcp tcp, @Nullable Http http) {

    /** {@code connectionPool.tcp}. */
    public record Tcp(
            @Nullable Integer maxConnections,
            @Nullable Duration connectTimeout,
            @Nullable TcpKeepalive tcpKeepalive,
            @Nullable Duration maxConnectionDuration,
            @Nullable Duration idleTimeout) {}

    /** {@code connectionPool.tcp.tcpKeepalive}. */
    public record TcpKeepalive(
            @Nullable Integer probes,
            @Nullable Duration time,
            @Nullable Duration interval) {}

    /** {@code connectionPool.http}. */
    public record Http(
            @Nullable Integer http1MaxPendingRequests,
            @Nullable Integer http2MaxRequests,
            @Nullable Integer maxRequestsPerConnection,
            @Nullable Integer maxRetries,
            @Nullable Duration idleTimeout,
            @Nullable String h2UpgradePolicy,
            @Nullable Boolean useClientProtocol,
            @Nullable Integer maxConcurrentStreams) {}
}

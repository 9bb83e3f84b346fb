package io.zonemesh.xds.cluster;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.istio.ConnectionPoolSettings;
import java.time.Duration;

/**
 * DestinationRule {@code connectionPool} to Envoy cluster fields, Istio's {@code applyConnectionPool}
 * (LOCALITY.md §4.1). Applied to every cluster, set or not, so circuit breakers always carry Istio's
 * MaxUint32 defaults instead of Envoy's 1024/1024/1024/3.
 */
public final class ConnectionPoolMapper {
    /** The {@code typed_extension_protocol_options} key of the upstream HTTP options. */
    public static final String HTTP_PROTOCOL_OPTIONS_KEY = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";

    private ConnectionPoolMapper() {}

    /**
     * Sets {@code connect_timeout}, {@code circuit_breakers}, TCP keepalive and, when needed,
     * the upstream {@code HttpProtocolOptions}.
     *
     * @param protocol the port's protocol: HTTP/2 and gRPC ports get explicit HTTP/2 upstream, as
     *     Istio's {@code setH2Options}
     */
    public static void apply(
            Cluster.Builder cluster,
            @Nullable ConnectionPoolSettings settings,
            Duration meshConnectTimeout,
            Protocol protocol) {
        var threshold = CircuitBreakers.Thresholds.newBuilder()
                .setMaxConnections(Protos.MAX_UINT32)
                .setMaxPendingRequests(Protos.MAX_UINT32)
                .setMaxRequests(Protos.MAX_UINT32)
                .setMaxRetries(Protos.MAX_UINT32);
        ConnectionPoolSettings.Http http = settings == null ? null : settings.http();
        ConnectionPoolSettings.Tcp tcp = settings == null ? null : settings.tcp();
        var common = HttpProtocolOptions.newBuilder();
        boolean commonSet = false;
        boolean h2 = protocol == Protocol.HTTP2 || protocol == Protocol.GRPC;
        int maxConcurrentStreams = 0;
        boolean useClientProtocol = false;
        Duration idleTimeout = null;
        if (http != null) {
            // Zero cannot be told from unset in Istio's API, so only positive values apply.
            Integer maxRequests = http.http2MaxRequests();
            if (maxRequests != null && maxRequests > 0) {
                threshold.setMaxRequests(Protos.uint32(maxRequests));
            }
            Integer maxPending = http.http1MaxPendingRequests();
            if (maxPending != null && maxPending > 0) {
                threshold.setMaxPendingRequests(Protos.uint32(maxPending));
            }
            Integer maxRetries = http.maxRetries();
            if (maxRetries != null && maxRetries > 0) {
                threshold.setMaxRetries(Protos.uint32(maxRetries));
            }
            Integer perConnection = http.maxRequestsPerConnection();
            if (perConnection != null && perConnection > 0) {
                common.setMaxRequestsPerConnection(Protos.uint32(perConnection));
                commonSet = true;
            }
            idleTimeout = http.idleTimeout();
            maxConcurrentStreams = http.maxConcurrentStreams() == null ? 0 : http.maxConcurrentStreams();
            // DO_NOT_UPGRADE only keeps HTTP/1.1 ports on HTTP/1.1; HTTP/2 and gRPC ports stay HTTP/2.
            h2 = h2 || "UPGRADE".equals(http.h2UpgradePolicy());
            useClientProtocol = Boolean.TRUE.equals(http.useClientProtocol());
        }
        cluster.setConnectTimeout(Protos.duration(meshConnectTimeout));
        if (tcp != null) {
            if (tcp.connectTimeout() != null) {
                cluster.setConnectTimeout(Protos.duration(tcp.connectTimeout()));
            }
            Integer maxConnections = tcp.maxConnections();
            if (maxConnections != null && maxConnections > 0) {
                threshold.setMaxConnections(Protos.uint32(maxConnections));
            }
            if (tcp.maxConnectionDuration() != null) {
                common.setMaxConnectionDuration(Protos.duration(tcp.maxConnectionDuration()));
                commonSet = true;
            }
            if (idleTimeout == null) {
                idleTimeout = tcp.idleTimeout();
            }
            if (tcp.tcpKeepalive() != null) {
                cluster.setUpstreamConnectionOptions(
                        UpstreamConnectionOptions.newBuilder().setTcpKeepalive(keepalive(tcp.tcpKeepalive())));
            }
        }
        if (idleTimeout != null) {
            common.setIdleTimeout(Protos.duration(idleTimeout));
            commonSet = true;
        }
        cluster.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(threshold));
        if (commonSet || h2 || useClientProtocol) {
            cluster.putTypedExtensionProtocolOptions(
                    HTTP_PROTOCOL_OPTIONS_KEY,
                    Any.pack(httpProtocolOptions(
                            commonSet ? common.build() : null, h2, maxConcurrentStreams, useClientProtocol)));
        }
    }

    private static io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions httpProtocolOptions(
            @Nullable HttpProtocolOptions common, boolean h2, int maxConcurrentStreams, boolean useClientProtocol) {
        var options = io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.newBuilder();
        if (common != null) {
            options.setCommonHttpProtocolOptions(common);
        }
        var http2 = Http2ProtocolOptions.newBuilder();
        if (maxConcurrentStreams > 0) {
            http2.setMaxConcurrentStreams(Protos.uint32(maxConcurrentStreams));
        }
        // Envoy requires one upstream_protocol_options variant; Istio fills the HTTP/1.1 one.
        if (useClientProtocol) {
            options.setUseDownstreamProtocolConfig(
                    io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.UseDownstreamHttpConfig
                            .newBuilder()
                            .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance())
                            .setHttp2ProtocolOptions(http2));
        } else if (h2) {
            options.setExplicitHttpConfig(
                    io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                            .setHttp2ProtocolOptions(http2));
        } else {
            options.setExplicitHttpConfig(
                    io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                            .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
        }
        return options.build();
    }

    private static TcpKeepalive keepalive(ConnectionPoolSettings.TcpKeepalive in) {
        var out = TcpKeepalive.newBuilder();
        if (in.probes() != null) {
            out.setKeepaliveProbes(Protos.uint32(in.probes()));
        }
        if (in.time() != null) {
            out.setKeepaliveTime(Protos.uint32(in.time().toSeconds()));
        }
        if (in.interval() != null) {
            out.setKeepaliveInterval(Protos.uint32(in.interval().toSeconds()));
        }
        return out.build();
    }
}

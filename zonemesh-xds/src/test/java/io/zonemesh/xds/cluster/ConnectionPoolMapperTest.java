package io.zonemesh.xds.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.istio.ConnectionPoolSettings;
import org.junit.jupiter.api.Test;

class ConnectionPoolMapperTest {
    private static final long MAX_UINT32 = 4294967295L;
    private static final java.time.Duration MESH_TIMEOUT = java.time.Duration.ofSeconds(10);

    private static Cluster apply(ConnectionPoolSettings settings, Protocol protocol) {
        Cluster.Builder b = Cluster.newBuilder().setName("c");
        ConnectionPoolMapper.apply(b, settings, MESH_TIMEOUT, protocol);
        return b.build();
    }

    private static HttpProtocolOptions options(Cluster c) throws InvalidProtocolBufferException {
        return c.getTypedExtensionProtocolOptionsOrThrow(ConnectionPoolMapper.HTTP_PROTOCOL_OPTIONS_KEY)
                .unpack(HttpProtocolOptions.class);
    }

    @Test
    void defaultsToUnlimitedCircuitBreakersAndMeshConnectTimeout() {
        Cluster c = apply(null, Protocol.HTTP);

        var t = c.getCircuitBreakers().getThresholds(0);
        assertThat(Integer.toUnsignedLong(t.getMaxConnections().getValue())).isEqualTo(MAX_UINT32);
        assertThat(Integer.toUnsignedLong(t.getMaxPendingRequests().getValue())).isEqualTo(MAX_UINT32);
        assertThat(Integer.toUnsignedLong(t.getMaxRequests().getValue())).isEqualTo(MAX_UINT32);
        assertThat(Integer.toUnsignedLong(t.getMaxRetries().getValue())).isEqualTo(MAX_UINT32);
        assertThat(t.getTrackRemaining()).isFalse();
        assertThat(c.getConnectTimeout())
                .isEqualTo(Duration.newBuilder().setSeconds(10).build());
        assertThat(c.getTypedExtensionProtocolOptionsMap()).isEmpty();
    }

    @Test
    void mapsConnectionPoolFieldsOntoThresholdsAndHttpOptions() throws Exception {
        ConnectionPoolSettings settings = new ConnectionPoolSettings(
                new ConnectionPoolSettings.Tcp(
                        100,
                        java.time.Duration.ofMillis(30),
                        null,
                        java.time.Duration.ofMinutes(1),
                        java.time.Duration.ofSeconds(5)),
                new ConnectionPoolSettings.Http(11, 1000, 10, 4, java.time.Duration.ofSeconds(20), null, null, null));

        Cluster c = apply(settings, Protocol.HTTP);

        var t = c.getCircuitBreakers().getThresholds(0);
        assertThat(t.getMaxConnections().getValue()).isEqualTo(100);
        assertThat(t.getMaxPendingRequests().getValue()).isEqualTo(11);
        assertThat(t.getMaxRequests().getValue()).isEqualTo(1000);
        assertThat(t.getMaxRetries().getValue()).isEqualTo(4);
        assertThat(c.getConnectTimeout())
                .isEqualTo(Duration.newBuilder().setNanos(30_000_000).build());
        HttpProtocolOptions options = options(c);
        assertThat(options.getCommonHttpProtocolOptions()
                        .getMaxRequestsPerConnection()
                        .getValue())
                .isEqualTo(10);
        assertThat(options.getCommonHttpProtocolOptions().getIdleTimeout().getSeconds())
                .isEqualTo(20);
        assertThat(options.getCommonHttpProtocolOptions()
                        .getMaxConnectionDuration()
                        .getSeconds())
                .isEqualTo(60);
        assertThat(options.getExplicitHttpConfig().hasHttpProtocolOptions()).isTrue();
    }

    @Test
    void tcpIdleTimeoutAppliesWhenHttpHasNone() throws Exception {
        ConnectionPoolSettings settings = new ConnectionPoolSettings(
                new ConnectionPoolSettings.Tcp(null, null, null, null, java.time.Duration.ofSeconds(5)), null);

        assertThat(options(apply(settings, Protocol.HTTP))
                        .getCommonHttpProtocolOptions()
                        .getIdleTimeout()
                        .getSeconds())
                .isEqualTo(5);
    }

    @Test
    void grpcPortsGetExplicitHttp2Upstream() throws Exception {
        HttpProtocolOptions options = options(apply(null, Protocol.GRPC));

        assertThat(options.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
        assertThat(options.hasCommonHttpProtocolOptions()).isFalse();
    }

    @Test
    void mapsTcpKeepaliveInSeconds() {
        ConnectionPoolSettings settings = new ConnectionPoolSettings(
                new ConnectionPoolSettings.Tcp(
                        null,
                        null,
                        new ConnectionPoolSettings.TcpKeepalive(
                                3, java.time.Duration.ofMinutes(2), java.time.Duration.ofSeconds(75)),
                        null,
                        null),
                null);

        var keepalive =
                apply(settings, Protocol.HTTP).getUpstreamConnectionOptions().getTcpKeepalive();

        assertThat(keepalive.getKeepaliveProbes().getValue()).isEqualTo(3);
        assertThat(keepalive.getKeepaliveTime().getValue()).isEqualTo(120);
        assertThat(keepalive.getKeepaliveInterval().getValue()).isEqualTo(75);
    }
}

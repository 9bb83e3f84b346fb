package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.proxy.xds.NodeIdentity;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxyOptionsTest {
    private static final NodeIdentity NODE = NodeIdentity.sidecar("p", "ns", "o");

    @Test
    void defaultsFollowIstioPortsAndEnvoyTimings() {
        ProxyOptions options = ZonemeshProxy.builder()
                .xdsServer("istiod.istio-system:15010")
                .node(NODE)
                .options();

        assertThat(options.xdsHost()).isEqualTo("istiod.istio-system");
        assertThat(options.xdsPort()).isEqualTo(15010);
        assertThat(options.outboundAddress().getPort()).isEqualTo(15001);
        assertThat(options.adminAddress().getPort()).isEqualTo(15000);
        assertThat(options.inboundAddress()).isNull();
        assertThat(options.xdsBackoffBase()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.xdsBackoffMax()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.eventLoopGroup()).isNull();
        assertThat(options.requestHeadersTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.idleTimeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theDefaultConnectionLimitFollowsTheHeap() {
        assertThat(ProxyOptions.Builder.defaultMaxConnections(64L << 20)).isEqualTo(4_096);
        assertThat(ProxyOptions.Builder.defaultMaxConnections(8L << 20)).isEqualTo(1_024);
        assertThat(ProxyOptions.Builder.defaultMaxConnections(4L << 30)).isEqualTo(10_000);
        assertThatThrownBy(() -> ZonemeshProxy.builder()
                        .xdsServer("a:1")
                        .node(NODE)
                        .maxConnectionsPerListener(0)
                        .options())
                .hasMessage("maxConnectionsPerListener: 0 (expected: >= 1)");
    }

    @Test
    void parsesBracketedIpv6ServerAddresses() {
        ProxyOptions options =
                ZonemeshProxy.builder().xdsServer("[::1]:15010").node(NODE).options();

        assertThat(options.xdsHost()).isEqualTo("::1");
        assertThat(options.xdsPort()).isEqualTo(15010);
    }

    @Test
    void rejectsIncompleteOrInvalidSettings() {
        assertThatThrownBy(() -> ZonemeshProxy.builder().xdsServer("no-port"))
                .hasMessage("xdsServer: no-port (expected: host:port)");
        assertThatThrownBy(() -> ZonemeshProxy.builder().node(NODE).options())
                .hasMessageStartingWith("xdsServer: unset");
        assertThatThrownBy(() -> ZonemeshProxy.builder().xdsServer("a:1").options())
                .hasMessageStartingWith("node: unset");
        assertThatThrownBy(() -> ZonemeshProxy.builder()
                        .xdsServer("a:1")
                        .node(NODE)
                        .adminAddress(new InetSocketAddress("0.0.0.0", 15000))
                        .options())
                .hasMessageContaining("(expected: a loopback address)");
        assertThatThrownBy(() -> ZonemeshProxy.builder()
                        .xdsServer("a:1")
                        .node(NODE)
                        .xdsBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))
                        .options())
                .hasMessageContaining("xdsBackoffMax: PT1S (expected: >= xdsBackoffBase PT2S)");
    }

    @Test
    void failingToBindClosesTheProxyAndSaysWhy() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ZonemeshProxy proxy = ZonemeshProxy.builder()
                    .xdsServer("127.0.0.1:1")
                    .node(NODE)
                    .outboundAddress(new InetSocketAddress("127.0.0.1", taken.getLocalPort()))
                    .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                    .ioThreads(1)
                    .build();

            assertThatThrownBy(proxy::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("p.ns failed to start")
                    .hasRootCauseInstanceOf(BindException.class);
            assertThatThrownBy(proxy::start).hasMessage("state: CLOSED (expected: NEW)");
        }
    }

    @Test
    void startTwiceIsRejected() {
        ZonemeshProxy proxy = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:1")
                .node(NODE)
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(1)
                .build();
        try {
            proxy.start();
            assertThat(proxy.outboundPort()).isPositive();
            assertThat(proxy.adminPort()).isPositive();
            assertThatThrownBy(proxy::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("state: STARTED (expected: NEW)");
        } finally {
            proxy.close();
        }
        assertThatThrownBy(proxy::start).hasMessage("state: CLOSED (expected: NEW)");
    }
}

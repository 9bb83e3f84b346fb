package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.grpc.Server;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.common.metrics.PrometheusText;
import io.zonemesh.proxy.identity.WorkloadSecret;
import io.zonemesh.proxy.testing.FakeAdsServer;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.SniClient;
import io.zonemesh.proxy.testing.TestIdentities;
import io.zonemesh.proxy.testing.TlsBackend;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ProxyType;
import io.zonemesh.proxy.xds.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An east-west gateway's AUTO_PASSTHROUGH listener, in the shape zonemesh-xds generates it
 * (XDS_SHAPES.md "Multi-network"): a caller's mutual TLS goes through by SNI, unterminated, to
 * a pod of the service; other SNIs and plaintext are closed; a dead pod fails over.
 */
@ExtendWith(NettyLeakCheck.class)
class SniPassthroughGatewayEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HTTPBIN = "outbound_.8000_._.httpbin.bar.svc.cluster.local";
    private static final String HTTPBIN_GLOBAL = "outbound_.8000_._.httpbin.bar.global";
    private static final String OTHER = "outbound_.9000_._.other.bar.svc.cluster.local";
    private static final String MISSING = "outbound_.9000_._.missing.bar.svc.cluster.local";
    /** istiod's allIstioMtlsALPNs, on every AUTO_PASSTHROUGH chain. */
    private static final List<String> MTLS_ALPNS =
            List.of("istio", "istio-peer-exchange", "istio-http/1.0", "istio-http/1.1", "istio-h2");
    /** What a sidecar offers (its ISTIO_MUTUAL alpn_protocols). */
    private static final List<String> SIDECAR_ALPN = List.of("istio-peer-exchange", "istio");

    private final FakeAdsServer ads = new FakeAdsServer();
    private final TestIdentities identities = new TestIdentities("cluster2");
    private final WorkloadSecret caller = identities.issue("foo", "sleep");
    private final List<TlsBackend> backends = new ArrayList<>();
    private EventLoopGroup group;
    private Server adsServer;
    private ZonemeshProxy proxy;
    private io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment otherAssignment = cla(OTHER);

    @BeforeEach
    void setUp() {
        group = Transport.preferred().newGroup(2, new DefaultThreadFactory("SniPassthroughGatewayEndToEndTest"));
        adsServer = ads.startOnLoopback();
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
        backends.forEach(TlsBackend::close);
        adsServer.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TlsBackend backend(String name) {
        TlsBackend backend = new TlsBackend(name, identities.issue("bar", "httpbin"), group);
        backends.add(backend);
        return backend;
    }

    /** The listener as AutoPassthrough emits it, bound at 127.0.0.1 port 0 for the test. */
    static Listener eastWestListener(int maxConnectAttempts) {
        return eastWestListener(maxConnectAttempts, null);
    }

    static Listener eastWestListener(int maxConnectAttempts, com.google.protobuf.Duration idleTimeout) {
        Listener.Builder listener = Listener.newBuilder()
                .setName("0.0.0.0_15443")
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setAddress(Address.newBuilder()
                        .setSocketAddress(SocketAddress.newBuilder()
                                .setAddress("127.0.0.1")
                                .setPortValue(0)))
                .addListenerFilters(ListenerFilter.newBuilder()
                        .setName("envoy.filters.listener.tls_inspector")
                        .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
        listener.addFilterChains(chain(HTTPBIN, HTTPBIN, maxConnectAttempts, idleTimeout));
        listener.addFilterChains(chain(OTHER, OTHER, maxConnectAttempts, idleTimeout));
        // The legacy .global name maps to the local service's cluster.
        listener.addFilterChains(chain(HTTPBIN_GLOBAL, HTTPBIN, maxConnectAttempts, idleTimeout));
        // A chain whose cluster the gateway does not have (Envoy: NC).
        listener.addFilterChains(chain(MISSING, MISSING, maxConnectAttempts, idleTimeout));
        return listener.build();
    }

    private static FilterChain chain(
            String sni, String cluster, int maxConnectAttempts, com.google.protobuf.Duration idleTimeout) {
        TcpProxy.Builder proxy = TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster);
        if (idleTimeout != null) {
            proxy.setIdleTimeout(idleTimeout);
        }
        if (maxConnectAttempts != 1) {
            proxy.setMaxConnectAttempts(UInt32Value.of(maxConnectAttempts));
        }
        return FilterChain.newBuilder()
                .setFilterChainMatch(
                        FilterChainMatch.newBuilder().addServerNames(sni).addAllApplicationProtocols(MTLS_ALPNS))
                .addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.tcp_proxy")
                        .setTypedConfig(Any.pack(proxy.build())))
                .build();
    }

    private int start(Listener gateway, io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment assignment) {
        return start(gateway, assignment, new io.zonemesh.proxy.identity.WorkloadSecrets());
    }

    private int start(
            Listener gateway,
            io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment assignment,
            io.zonemesh.proxy.identity.WorkloadSecrets secrets) {
        ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(HTTPBIN)
                        .setConnectTimeout(millis(2000))
                        // Istio's DestinationRule outlierDetection {consecutiveGatewayErrors: 1}.
                        .setOutlierDetection(OutlierDetection.newBuilder()
                                .setConsecutiveGatewayFailure(UInt32Value.of(1))
                                .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(100))
                                .setConsecutive5Xx(UInt32Value.of(0))
                                .setInterval(millis(60_000))
                                .setBaseEjectionTime(millis(60_000))
                                .setMaxEjectionPercent(UInt32Value.of(100)))
                        .build(),
                edsCluster(OTHER)
                        // A mesh service's ISTIO_MUTUAL cluster: a tcp_proxy to it originates mTLS.
                        .setTransportSocket(io.zonemesh.proxy.testing.IstioMtls.upstreamSocket(
                                OTHER, List.of("spiffe://cluster.local/ns/bar/sa/httpbin")))
                        .build());
        ads.set(ResourceType.ENDPOINT, "1", assignment, otherAssignment);
        ads.set(ResourceType.LISTENER, "1", outboundListener(), gateway);
        ads.set(ResourceType.ROUTE, "1", routeConfig("http_proxy"));
        proxy = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + adsServer.getPort())
                .node(NodeIdentity.sidecar("eastwestgateway-1", "istio-system", "istio-eastwestgateway")
                        .withProxyType(ProxyType.ROUTER))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .workloadSecrets(secrets)
                .shutdownTimeout(Duration.ofSeconds(5))
                .build()
                .start();
        await().atMost(WAIT).until(proxy::ready);
        await().atMost(WAIT).until(() -> proxy.listenerPort(gateway.getName()) > 0);
        return proxy.listenerPort(gateway.getName());
    }

    @Test
    void relaysTheCallersMutualTlsUnterminatedToTheServiceChosenBySni() throws Exception {
        TlsBackend pod = backend("httpbin-1");
        int port = start(eastWestListener(1), cla(HTTPBIN, locality("region2", "zone-a", 0, pod.address())));

        try (SniClient client = SniClient.connect(port, HTTPBIN, SIDECAR_ALPN, caller)) {
            assertThat(client.readLine()).isEqualTo("httpbin-1");
            client.write("ping\n");
            assertThat(client.readLine()).isEqualTo("ping");
            // End to end TLS: the pod saw the caller's own certificate and ALPN, the caller the pod's.
            assertThat(pod.clientCertificates()).containsExactly(caller.leaf());
            assertThat(pod.protocols()).containsExactly("istio-peer-exchange");
            assertThat(client.serverCertificate().getSubjectAlternativeNames().toString())
                    .contains("spiffe://cluster.local/ns/bar/sa/httpbin");
        }
    }

    @Test
    void legacyGlobalSniReachesTheLocalService() throws Exception {
        TlsBackend pod = backend("httpbin-1");
        int port = start(eastWestListener(1), cla(HTTPBIN, locality("region2", "zone-a", 0, pod.address())));

        try (SniClient client = SniClient.connect(port, HTTPBIN_GLOBAL, SIDECAR_ALPN, caller)) {
            assertThat(client.readLine()).isEqualTo("httpbin-1");
        }
    }

    @Test
    void closesAnUnknownSniPlaintextAndAHelloWithoutIstioAlpn() throws Exception {
        TlsBackend pod = backend("httpbin-1");
        int port = start(eastWestListener(1), cla(HTTPBIN, locality("region2", "zone-a", 0, pod.address())));

        assertThatThrownBy(() ->
                        SniClient.connect(port, "outbound_.8000_._.nope.bar.svc.cluster.local", SIDECAR_ALPN, caller))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SniClient.connect(port, HTTPBIN, List.of("h2"), caller))
                .isInstanceOf(IOException.class);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            plain.setSoTimeout(10_000);
            plain.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: httpbin\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = plain.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(pod.clientCertificates()).isEmpty();
    }

    @Test
    void aDeadPodIsEjectedAndConnectionsFailOverToTheNextLocality() throws Exception {
        TlsBackend near = backend("httpbin-near");
        TlsBackend far = backend("httpbin-far");
        int port = start(
                eastWestListener(1),
                cla(
                        HTTPBIN,
                        locality("region2", "zone-a", 0, near.address()),
                        locality("region2", "zone-b", 1, far.address())));
        try (SniClient client = SniClient.connect(port, HTTPBIN, SIDECAR_ALPN, caller)) {
            assertThat(client.readLine()).isEqualTo("httpbin-near");
        }

        near.close();

        // The first connection after the stop fails (UF, URX) and ejects the pod; then zone-b serves.
        await().atMost(WAIT).until(() -> answer(port).equals("httpbin-far"));
        String metrics = RawHttpClient.get(proxy.adminPort(), "http://admin/stats/prometheus")
                .body();
        assertThat(sum(metrics, "istio_tcp_connections_closed_total", "response_flags", "UF,URX"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void retriesAFailedConnectOnAnotherHostWithinMaxConnectAttempts() throws Exception {
        TlsBackend dead = backend("httpbin-dead");
        TlsBackend live = backend("httpbin-live");
        dead.close();
        int port = start(
                eastWestListener(2), cla(HTTPBIN, locality("region2", "zone-a", 0, dead.address(), live.address())));

        // Whichever host round robin picks first, every connection reaches the live one.
        for (int i = 0; i < 4; i++) {
            assertThat(answer(port)).isEqualTo("httpbin-live");
        }
    }

    @Test
    void reportsIstioTcpMetricsForTheRelayedConnection() throws Exception {
        TlsBackend pod = backend("httpbin-1");
        int port = start(eastWestListener(1), cla(HTTPBIN, locality("region2", "zone-a", 0, pod.address())));
        try (SniClient client = SniClient.connect(port, HTTPBIN, SIDECAR_ALPN, caller)) {
            assertThat(client.readLine()).isEqualTo("httpbin-1");
        }

        await().atMost(WAIT)
                .until(() -> sum(scrape(), "istio_tcp_connections_closed_total", "reporter", "source") == 1);
        String text = scrape();
        PrometheusText.Sample opened = single(text, "istio_tcp_connections_opened_total");
        assertThat(opened.value()).isEqualTo(1);
        assertThat(opened.labels())
                .containsEntry("reporter", "source")
                .containsEntry("destination_service", "httpbin.bar.svc.cluster.local")
                .containsEntry("destination_service_name", "httpbin")
                .containsEntry("destination_service_namespace", "bar")
                .containsEntry("destination_zone", "zone-a")
                .containsEntry("destination_region", "region2")
                .containsEntry("source_workload", "istio-eastwestgateway")
                .containsEntry("request_protocol", "tcp")
                .containsEntry("response_flags", "-")
                .containsEntry("connection_security_policy", "unknown")
                .doesNotContainKey("response_code");
        // The whole TLS session both ways: at least a ClientHello up, a certificate and the greeting down.
        assertThat(single(text, "istio_tcp_received_bytes_total").value()).isGreaterThan(100);
        assertThat(single(text, "istio_tcp_sent_bytes_total").value()).isGreaterThan(500);
    }

    @Test
    void closesBothSidesOnceNothingMovedForTheIdleTimeout() throws Exception {
        TlsBackend pod = backend("httpbin-1");
        int port =
                start(eastWestListener(1, millis(300)), cla(HTTPBIN, locality("region2", "zone-a", 0, pod.address())));

        try (SniClient client = SniClient.connect(port, HTTPBIN, SIDECAR_ALPN, caller)) {
            assertThat(client.readLine()).isEqualTo("httpbin-1");
            client.write("still here\n");
            assertThat(client.readLine()).isEqualTo("still here");
            // Then nothing moves: the gateway closes the relay (the client's read timeout is 10 s).
            String next;
            try {
                next = client.readLine();
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the idle connection was not closed", e);
            } catch (IOException closed) {
                next = null;
            }
            assertThat(next).isNull();
        }
    }

    @Test
    void closesAConnectionWhoseChainNamesAnUnknownClusterAndFlagsItNc() throws Exception {
        TlsBackend pod = backend("httpbin-1");
        int port = start(eastWestListener(1), cla(HTTPBIN, locality("region2", "zone-a", 0, pod.address())));

        assertThatThrownBy(() -> SniClient.connect(port, MISSING, SIDECAR_ALPN, caller))
                .isInstanceOf(IOException.class);

        await().atMost(WAIT)
                .until(() -> sum(scrape(), "istio_tcp_connections_closed_total", "response_flags", "NC") == 1);
    }

    @Test
    void originatesTheClustersMutualTlsForAPlaintextTcpClient() throws Exception {
        TlsBackend pod = backend("other-1");
        otherAssignment = cla(OTHER, locality("region2", "zone-a", 0, pod.address()));
        WorkloadSecret gatewayIdentity = identities.issue("istio-system", "istio-eastwestgateway");
        io.zonemesh.proxy.identity.WorkloadSecrets secrets = new io.zonemesh.proxy.identity.WorkloadSecrets();
        secrets.update(gatewayIdentity);
        // A plaintext TCP listener whose one chain (no match) proxies to the mTLS cluster.
        Listener tcp = Listener.newBuilder()
                .setName("0.0.0.0_9000")
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setAddress(Address.newBuilder()
                        .setSocketAddress(SocketAddress.newBuilder()
                                .setAddress("127.0.0.1")
                                .setPortValue(0)))
                .addFilterChains(chain(OTHER, OTHER, 1, null).toBuilder().clearFilterChainMatch())
                .build();
        int port = start(tcp, cla(HTTPBIN), secrets);

        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            plain.setSoTimeout(10_000);
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("other-1");
            plain.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("hello");
        }
        assertThat(pod.clientCertificates()).containsExactly(gatewayIdentity.leaf());
        assertThat(pod.protocols()).containsExactly("istio-peer-exchange");
    }

    private String scrape() {
        return RawHttpClient.get(proxy.adminPort(), "http://admin/stats/prometheus")
                .body();
    }

    private static PrometheusText.Sample single(String text, String name) {
        List<PrometheusText.Sample> samples = PrometheusText.parseDeclared(text).stream()
                .filter(s -> s.name().equals(name))
                .toList();
        assertThat(samples).as(name).hasSize(1);
        return samples.get(0);
    }

    private static double sum(String text, String name, String label, String value) {
        return PrometheusText.parseDeclared(text).stream()
                .filter(s -> s.name().equals(name) && value.equals(s.labels().get(label)))
                .mapToDouble(PrometheusText.Sample::value)
                .sum();
    }

    /** The first line a fresh connection gets, or "" when the gateway closed it. */
    private String answer(int port) {
        try (SniClient client = SniClient.connect(port, HTTPBIN, SIDECAR_ALPN, caller)) {
            String line = client.readLine();
            return line == null ? "" : line;
        } catch (IOException e) {
            return "";
        }
    }
}

package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.ads;
import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.router;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.grpc.Server;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.FakeAdsServer;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ProxyType;
import io.zonemesh.proxy.xds.ResourceType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gateway binds the listeners xDS gives it, serves them with RDS, and lets them go. */
@ExtendWith(NettyLeakCheck.class)
class GatewayListenerEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";

    private final FakeAdsServer ads = new FakeAdsServer();
    private EventLoopGroup group;
    private Server adsServer;
    private EchoServer upstream;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("GatewayListenerEndToEndTest"));
        adsServer = ads.startOnLoopback();
        upstream = new EchoServer("up", group);
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
        adsServer.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** {@code 0.0.0.0_<port>} as the control plane emits it, at 127.0.0.1 port 0 for the test. */
    private static Listener gatewayListener(String name, String routeName, boolean tls) {
        FilterChain.Builder chain = FilterChain.newBuilder()
                .addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(HttpConnectionManager.newBuilder()
                                .setStatPrefix("outbound_" + name)
                                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName(routeName))
                                .addHttpFilters(router())
                                .build())));
        if (tls) {
            chain.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls"));
        }
        return Listener.newBuilder()
                .setName(name)
                .setTrafficDirection(TrafficDirection.OUTBOUND)
                .setAddress(Address.newBuilder()
                        .setSocketAddress(SocketAddress.newBuilder()
                                .setAddress("127.0.0.1")
                                .setPortValue(0)))
                .addFilterChains(chain)
                .build();
    }

    private void start(ProxyType type, Listener... gatewayListeners) {
        ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(HELLO).setConnectTimeout(millis(1000)).build());
        ads.set(ResourceType.ENDPOINT, "1", cla(HELLO, locality("r", "z", 0, upstream.address())));
        Listener[] listeners = new Listener[gatewayListeners.length + 1];
        listeners[0] = outboundListener();
        System.arraycopy(gatewayListeners, 0, listeners, 1, gatewayListeners.length);
        ads.set(ResourceType.LISTENER, "1", listeners);
        ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig("http_proxy", virtualHost("hello", List.of("helloworld.sample:5000"), HELLO)),
                routeConfig("http.80", virtualHost("shop", List.of("shop.example.com"), HELLO)).toBuilder()
                        .setIgnorePortInHostMatching(true)
                        .build(),
                routeConfig("https.443", virtualHost("shop", List.of("shop.example.com"), HELLO)).toBuilder()
                        .setVirtualHosts(
                                0,
                                virtualHost("shop", List.of("shop.example.com"), HELLO).toBuilder()
                                        .setRequireTls(
                                                io.envoyproxy.envoy.config.route.v3.VirtualHost.TlsRequirementType.ALL))
                        .build());
        proxy = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + adsServer.getPort())
                .node(NodeIdentity.sidecar("gw-1", "istio-system", "ingressgateway")
                        .withProxyType(type))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .shutdownTimeout(Duration.ofSeconds(5))
                .build()
                .start();
        await().atMost(WAIT).until(proxy::ready);
    }

    @Test
    void gatewayBindsItsListenerAndServesItsRoutes() {
        start(ProxyType.ROUTER, gatewayListener("0.0.0.0_80", "http.80", false));
        await().atMost(WAIT).until(() -> proxy.listenerPort("0.0.0.0_80") > 0);
        int port = proxy.listenerPort("0.0.0.0_80");

        Response response = RawHttpClient.exchange(
                port, "GET /products HTTP/1.1\r\nHost: shop.example.com:" + port + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("up GET /products");
        assertThat(RawHttpClient.get(proxy.adminPort(), "http://admin/listeners")
                        .body())
                .contains("0.0.0.0_80::127.0.0.1:" + port + "\n")
                .contains("virtualOutbound::127.0.0.1:" + proxy.outboundPort());
    }

    @Test
    void aListenerThatLeavesXdsStopsAccepting() {
        start(ProxyType.ROUTER, gatewayListener("0.0.0.0_80", "http.80", false));
        await().atMost(WAIT).until(() -> proxy.listenerPort("0.0.0.0_80") > 0);

        ads.set(ResourceType.LISTENER, "2", outboundListener());

        await().atMost(WAIT).until(() -> proxy.listenerPort("0.0.0.0_80") < 0);
        assertThat(proxy.listenerAddresses()).containsOnlyKeys("virtualOutbound");
    }

    @Test
    void sidecarsDoNotBindGatewayListeners() {
        start(ProxyType.SIDECAR, gatewayListener("0.0.0.0_80", "http.80", false));

        assertThat(proxy.listenerPort("0.0.0.0_80")).isEqualTo(-1);
        assertThat(proxy.listenerAddresses()).containsOnlyKeys("virtualOutbound");
    }

    @Test
    void httpsListenerTerminatesTlsAndRoutesEachSniWithItsChain() throws Exception {
        start(ProxyType.ROUTER, httpsListener());
        await().atMost(WAIT).until(() -> proxy.listenerPort("0.0.0.0_443") > 0);
        int port = proxy.listenerPort("0.0.0.0_443");

        String reply = httpsGet(port, "shop.example.com", "/cart");

        assertThat(reply).startsWith("HTTP/1.1 200").endsWith("up GET /cart");
        // The https chain's route table requires TLS, which this connection has: no redirect.
        assertThat(upstream.requests()).isEqualTo(1);
        assertThatThrownBy(() -> httpsGet(port, "unknown.example.org", "/")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void httpsListenerNegotiatesH2ByAlpn() throws Exception {
        start(ProxyType.ROUTER, httpsListener());
        await().atMost(WAIT).until(() -> proxy.listenerPort("0.0.0.0_443") > 0);
        io.netty.handler.ssl.SslContext client = io.netty.handler.ssl.SslContextBuilder.forClient()
                .sslProvider(io.netty.handler.ssl.SslProvider.JDK)
                .trustManager(new java.io.File(resource("ca.pem")))
                .endpointIdentificationAlgorithm(null)
                .applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                        io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        "h2"))
                .build();

        List<String> replies = io.zonemesh.proxy.testing.H2Client.get(
                group,
                proxy.listenerPort("0.0.0.0_443"),
                client,
                "shop.example.com",
                List.of("https://shop.example.com/a", "https://shop.example.com/b"));

        assertThat(replies).containsExactly("200 up GET /a", "200 up GET /b");
    }

    private static String resource(String name) throws Exception {
        return new java.io.File(GatewayListenerEndToEndTest.class
                        .getResource("/tls/" + name)
                        .toURI())
                .getPath();
    }

    /** {@code 0.0.0.0_443}: one TLS chain for {@code shop.example.com}, as the control plane emits HTTPS servers. */
    private static Listener httpsListener() throws Exception {
        DownstreamTlsContext tls = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(CommonTlsContext.newBuilder()
                        .addTlsCertificates(TlsCertificate.newBuilder()
                                .setCertificateChain(DataSource.newBuilder().setFilename(resource("server.pem")))
                                .setPrivateKey(DataSource.newBuilder().setFilename(resource("server.key"))))
                        .addAlpnProtocols("h2")
                        .addAlpnProtocols("http/1.1"))
                .build();
        Listener plain = gatewayListener("0.0.0.0_443", "https.443", false);
        FilterChain chain = plain.getFilterChains(0).toBuilder()
                .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames("shop.example.com"))
                .setTransportSocket(TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Any.pack(tls)))
                .build();
        return plain.toBuilder().setFilterChains(0, chain).build();
    }

    /** One GET over TLS with SNI {@code host}, trusting the test CA; the raw response. */
    private static String httpsGet(int port, String host, String path) throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trust.load(null, null);
        try (java.io.InputStream in = new java.io.FileInputStream(resource("ca.pem"))) {
            trust.setCertificateEntry(
                    "ca",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf =
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (javax.net.ssl.SSLSocket socket =
                (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new javax.net.ssl.SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}

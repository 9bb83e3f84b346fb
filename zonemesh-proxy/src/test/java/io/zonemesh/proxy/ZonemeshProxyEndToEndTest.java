package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.inboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.staticCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.nio.NioIoHandler;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.FakeAdsServer;
import io.zonemesh.proxy.testing.FakeLoadBalancerFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ResourceType;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy on real sockets: an in-process ADS server feeds listeners, routes, clusters and
 * endpoints for two echo servers in two zones at priorities 0 and 1.
 */
@ExtendWith(NettyLeakCheck.class)
class ZonemeshProxyEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String AUTHORITY = "helloworld.sample:5000";
    private static final String URL = "http://" + AUTHORITY + "/hello";
    private static EventLoopGroup group;

    private final FakeAdsServer ads = new FakeAdsServer();
    private final FakeLoadBalancerFactory balancers = new FakeLoadBalancerFactory();
    private Server adsServer;
    private EchoServer zoneA;
    private EchoServer zoneB;
    private ZonemeshProxy proxy;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void setUp() {
        adsServer = ads.startOnLoopback();
        zoneA = new EchoServer("zone-a", group);
        zoneB = new EchoServer("zone-b", group);
        proxy = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + adsServer.getPort())
                .node(NodeIdentity.sidecar("sleep-1", "sample", "sleep").withLocality("us-east1", "us-east1-a", ""))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .inboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(1)
                .xdsBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(5))
                .drainTime(Duration.ofMillis(200))
                .loadBalancerFactory(balancers)
                .build();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        zoneA.close();
        zoneB.close();
        adsServer.shutdownNow();
    }

    private static Cluster helloCluster() {
        return edsCluster(HELLO)
                .setConnectTimeout(millis(1000))
                .setOutlierDetection(OutlierDetection.newBuilder()
                        .setConsecutive5Xx(UInt32Value.of(1))
                        .setMaxEjectionPercent(UInt32Value.of(100)))
                .build();
    }

    private static RouteConfiguration httpProxy() {
        return routeConfig(
                "http_proxy",
                virtualHost(
                        "helloworld.sample.svc.cluster.local:5000",
                        List.of(AUTHORITY, "helloworld.sample.svc.cluster.local:5000"),
                        HELLO));
    }

    private void serveMesh() {
        ads.set(ResourceType.CLUSTER, "1", helloCluster(), staticCluster("inbound|5000||", "127.0.0.1", zoneA.port()));
        ads.set(
                ResourceType.ENDPOINT,
                "1",
                cla(
                        HELLO,
                        locality("us-east1", "us-east1-a", 0, zoneA.address()),
                        locality("us-east1", "us-east1-b", 1, zoneB.address())));
        ads.set(ResourceType.LISTENER, "1", outboundListener(), inboundListener(5000));
        ads.set(ResourceType.ROUTE, "1", httpProxy());
    }

    private void startReady() {
        serveMesh();
        proxy.start();
        await().atMost(WAIT).until(proxy::ready);
    }

    private Response get() {
        return RawHttpClient.get(proxy.outboundPort(), URL);
    }

    private Response admin(String method, String path) {
        return RawHttpClient.exchange(
                proxy.adminPort(),
                method + " " + path + " HTTP/1.1\r\nHost: admin\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void sendsTrafficToPriorityZeroOnlyWhileItIsHealthy() {
        startReady();
        // A proxy with its own event loops runs on epoll where Netty's native library loads.
        assertThat(proxy.transport()).isEqualTo(Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO);

        for (int i = 0; i < 10; i++) {
            Response response = get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("zone-a GET /hello");
        }

        assertThat(zoneB.requests()).isZero();
        assertThat(zoneA.hosts()).containsOnly(AUTHORITY);
    }

    @Test
    void firstRequestAfterTheZoneDiesFailsUfAndTheRestFailOverToPriorityOne() {
        startReady();
        assertThat(get().body()).startsWith("zone-a");

        zoneA.close();
        Response failed = get();

        assertThat(failed.status()).isEqualTo(503);
        // Which local-origin failure it is depends on a race the test does not control: whether the
        // proxy saw the pooled connection close (then the new connect is refused: UF) or wrote the
        // request on it first (then it is reset: UC). Both eject the host, which is what matters.
        assertThat(failed.body())
                .isIn(
                        "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
                        "upstream connect error or disconnect/reset before headers. reset reason: connection termination");
        assertThat(balancers.get(HELLO).events())
                .containsAnyOf(
                        "failure " + zoneA.address() + " " + LocalOriginFailure.CONNECT_FAILED,
                        "failure " + zoneA.address() + " " + LocalOriginFailure.RESET);
        for (int i = 0; i < 5; i++) {
            Response response = get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("zone-b");
        }
        assertThat(admin("GET", "/clusters").body())
                .contains(HELLO + "::" + zoneA.address() + "::health_flags::/failed_outlier_check")
                .contains(HELLO + "::" + zoneB.address() + "::health_flags::healthy")
                .contains(HELLO + "::" + zoneB.address() + "::priority::1");
    }

    @Test
    void reusesOneKeepAliveUpstreamConnectionForSequentialRequests() {
        startReady();

        try (RawHttpClient client = RawHttpClient.connect(proxy.outboundPort())) {
            for (int i = 0; i < 5; i++) {
                Response response = client.send("GET " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("connection")).isNull();
            }
        }

        assertThat(zoneA.requests()).isEqualTo(5);
        assertThat(zoneA.connectionsAccepted()).isEqualTo(1);
        assertThat(balancers.get(HELLO).activeRequests()).isZero();
    }

    @Test
    void maxRequestsPerConnectionOfOneOpensAConnectionPerRequest() {
        startReady();
        HttpProtocolOptions oneShot = HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setMaxRequestsPerConnection(UInt32Value.of(1)))
                .build();
        ads.set(
                ResourceType.CLUSTER,
                "2",
                helloCluster().toBuilder()
                        .putTypedExtensionProtocolOptions(
                                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(oneShot))
                        .build(),
                staticCluster("inbound|5000||", "127.0.0.1", zoneA.port()));
        await().atMost(WAIT)
                .until(() ->
                        proxy.snapshot().cluster(HELLO).config().httpOptions().maxRequestsPerConnection() == 1);

        try (RawHttpClient client = RawHttpClient.connect(proxy.outboundPort())) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.send("GET " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n")
                                .status())
                        .isEqualTo(200);
            }
        }

        assertThat(zoneA.connectionsAccepted()).isEqualTo(3);
        await().atMost(WAIT).until(() -> zoneA.openConnections() == 0);
    }

    @Test
    void nackedUpdateKeepsTheLastGoodConfigServing() {
        startReady();

        ads.set(
                ResourceType.CLUSTER,
                "2",
                helloCluster().toBuilder()
                        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                        .build());
        DiscoveryRequest nack = ads.awaitRequest(ResourceType.CLUSTER, DiscoveryRequest::hasErrorDetail, WAIT);

        assertThat(nack.getVersionInfo()).isEqualTo("1");
        assertThat(nack.getErrorDetail().getMessage()).contains("lb_policy: CLUSTER_PROVIDED");
        Response response = get();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("zone-a");
        assertThat(proxy.snapshot().clusters()).containsKeys(HELLO, "inbound|5000||");
        assertThat(admin("GET", "/xds").body()).contains("\"nack_error\"").contains("lb_policy: CLUSTER_PROVIDED");
    }

    @Test
    void inboundListenerRoutesToTheLocalApplication() {
        startReady();

        Response response = RawHttpClient.exchange(
                proxy.inboundPort(), "GET /hello HTTP/1.1\r\nHost: " + AUTHORITY + "\r\nConnection: close\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("zone-a GET /hello");
    }

    @Test
    void routeTimeoutAnswers504AndReportsTheTimeoutToTheLoadBalancer() {
        startReady();
        RouteConfiguration withTimeout = httpProxy().toBuilder()
                .setVirtualHosts(
                        0,
                        httpProxy().getVirtualHosts(0).toBuilder()
                                .setRoutes(
                                        0,
                                        httpProxy().getVirtualHosts(0).getRoutes(0).toBuilder()
                                                .setRoute(
                                                        httpProxy()
                                                                .getVirtualHosts(0)
                                                                .getRoutes(0)
                                                                .getRoute()
                                                                .toBuilder()
                                                                .setTimeout(millis(200)))))
                .build();
        ads.set(ResourceType.ROUTE, "2", withTimeout);
        await().atMost(WAIT)
                .until(() -> ads.requests(ResourceType.ROUTE).stream()
                        .anyMatch(r -> r.getVersionInfo().equals("2")));
        zoneA.behaviour(EchoServer.Behaviour.SILENT);

        Response response = get();

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("upstream request timeout");
        assertThat(balancers.get(HELLO).events()).contains("failure " + zoneA.address() + " TIMEOUT");
    }

    @Test
    void answersBeforeConfigurationArrivesAndBecomesReadyWhenItDoes() {
        proxy.start();

        assertThat(admin("GET", "/ready").status()).isEqualTo(503);
        assertThat(get().status()).isEqualTo(404);

        serveMesh();
        await().atMost(WAIT).until(proxy::ready);
        Response ready = admin("GET", "/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("LIVE\n");
        assertThat(get().status()).isEqualTo(200);
    }

    @Test
    void adminReportsClustersConfigDumpAndMetrics() {
        startReady();
        assertThat(get().status()).isEqualTo(200);

        String clusters = admin("GET", "/clusters").body();
        assertThat(clusters)
                .contains(HELLO + "::" + zoneA.address() + "::health_flags::healthy")
                .contains(HELLO + "::" + zoneA.address() + "::zone::us-east1-a")
                .contains(HELLO + "::" + zoneA.address() + "::priority::0")
                .contains(HELLO + "::" + zoneA.address() + "::rq_success::1")
                .contains(HELLO + "::" + zoneA.address() + "::cx_active::1")
                .contains("inbound|5000||::127.0.0.1:" + zoneA.port() + "::weight::1");
        assertThat(admin("GET", "/clusters?format=json").body())
                .contains("\"cluster_statuses\"")
                .contains("\"eds_health_status\": \"HEALTHY\"")
                .contains("\"zone\": \"us-east1-b\"");
        String dump = admin("GET", "/config_dump?include_eds").body();
        assertThat(dump)
                .contains("type.googleapis.com/envoy.admin.v3.ClustersConfigDump")
                .contains("type.googleapis.com/envoy.admin.v3.ListenersConfigDump")
                .contains("\"name\": \"virtualOutbound\"")
                .contains("\"dynamic_active_clusters\"")
                .contains("\"route_config_name\": \"http_proxy\"")
                .contains("\"cluster_name\": \"" + HELLO + "\"");
        String prometheus = admin("GET", "/stats/prometheus").body();
        assertThat(prometheus)
                .contains("zonemesh_requests_total{destination_cluster=\"" + HELLO
                        + "\",destination_zone=\"us-east1-a\",direction=\"outbound\",response_code=\"200\","
                        + "source_zone=\"us-east1-a\"} 1.0");
        assertThat(prometheus).contains("zonemesh_upstream_request_duration_seconds_bucket{");
        assertThat(prometheus).contains("zonemesh_cluster_ejected_hosts{cluster=\"" + HELLO + "\"} 0.0");
        assertThat(admin("GET", "/stats").body()).contains("zonemesh.requests{");
        assertThat(admin("GET", "/xds").body())
                .contains("\"acked_version\": \"1\"")
                .contains("\"connected\": true");
        assertThat(admin("GET", "/drain_listeners").status()).isEqualTo(405);
        assertThat(admin("GET", "/nope").status()).isEqualTo(404);
    }

    @Test
    void drainListenersClosesIdleConnectionsAndStopsAcceptingNewOnes() {
        startReady();
        try (RawHttpClient idle = RawHttpClient.connect(proxy.outboundPort())) {
            assertThat(idle.send("GET " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n")
                            .status())
                    .isEqualTo(200);

            assertThat(admin("POST", "/drain_listeners").body()).isEqualTo("OK\n");

            assertThat(idle.closedByPeer()).isTrue();
        }
        RawHttpClient.awaitRefused(proxy.outboundPort());
        RawHttpClient.awaitRefused(proxy.inboundPort());
    }

    @Test
    void gracefulDrainKeepsAcceptingDuringTheDrainTimeWithConnectionClose() {
        startReady();

        assertThat(admin("POST", "/drain_listeners?graceful").status()).isEqualTo(200);
        Response during = RawHttpClient.exchange(
                proxy.outboundPort(), "GET " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");

        assertThat(during.status()).isEqualTo(200);
        assertThat(during.header("connection")).isEqualTo("close");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThatThrownBy(() -> RawHttpClient.connect(proxy.outboundPort()))
                        .isInstanceOf(UncheckedIOException.class));
    }

    @Test
    void closeReleasesThePortsAndLeavesASharedEventLoopGroupRunning() {
        ZonemeshProxy shared = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + adsServer.getPort())
                .node(NodeIdentity.sidecar("sleep-2", "sample", "sleep"))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .loadBalancerFactory(balancers)
                .build()
                .start();
        int port = shared.outboundPort();
        assertThat(shared.transport()).isEqualTo(Transport.NIO);
        serveMesh();
        await().atMost(WAIT).until(shared::ready);
        assertThat(RawHttpClient.get(port, URL).status()).isEqualTo(200);

        shared.close();

        assertThat(group.isShuttingDown()).isFalse();
        RawHttpClient.awaitRefused(port);
        assertThat(shared.inboundPort()).isEqualTo(-1);
    }

    @Test
    void requestTravelsFromTheClientSidecarThroughTheServerSidecarToTheApplication() {
        ZonemeshProxy server = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + adsServer.getPort())
                .node(NodeIdentity.sidecar("helloworld-1", "sample", "helloworld")
                        .withLocality("us-east1", "us-east1-b", ""))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .inboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .loadBalancerFactory(balancers)
                .build()
                .start();
        try {
            // As the local mesh does: the endpoint of the service is the server sidecar's inbound port.
            ads.set(
                    ResourceType.CLUSTER,
                    "1",
                    helloCluster(),
                    staticCluster("inbound|5000||", "127.0.0.1", zoneB.port()));
            ads.set(
                    ResourceType.ENDPOINT,
                    "1",
                    cla(HELLO, locality("us-east1", "us-east1-b", 0, "127.0.0.1:" + server.inboundPort())));
            ads.set(ResourceType.LISTENER, "1", outboundListener(), inboundListener(5000));
            ads.set(ResourceType.ROUTE, "1", httpProxy());
            proxy.start();
            await().atMost(WAIT).until(() -> proxy.ready() && server.ready());

            Response response = get();

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("zone-b GET /hello");
            assertThat(zoneB.hosts()).containsExactly(AUTHORITY);
            assertThat(server.metrics().scrape()).contains("direction=\"inbound\",response_code=\"200\"");
            assertThat(proxy.metrics().scrape()).contains("destination_zone=\"us-east1-b\",direction=\"outbound\"");
        } finally {
            server.close();
        }
    }

    @Test
    void unusedLocalityWeightsDoNotMatterAndValidateClustersIsHonouredEndToEnd() {
        startReady();
        RouteConfiguration strict = httpProxy().toBuilder()
                .setValidateClusters(BoolValue.of(true))
                .setVirtualHosts(0, virtualHost("x", List.of(AUTHORITY), "outbound|1||missing"))
                .build();

        ads.set(ResourceType.ROUTE, "3", strict);

        DiscoveryRequest nack = ads.awaitRequest(ResourceType.ROUTE, DiscoveryRequest::hasErrorDetail, WAIT);
        assertThat(nack.getErrorDetail().getMessage()).contains("\"outbound|1||missing\"");
        assertThat(get().body()).startsWith("zone-a");
    }
}

package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.ResourceType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Route {@code hash_policy} with RING_HASH and MAGLEV clusters, through zonemesh-lb, on real sockets. */
@ExtendWith(NettyLeakCheck.class)
class ConsistentHashEndToEndTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String AUTHORITY = "helloworld.sample:5000";

    private MeshFixture mesh;
    private List<EchoServer> servers;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("ConsistentHashEndToEndTest");
        servers = List.of(mesh.server("s1"), mesh.server("s2"), mesh.server("s3"));
    }

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private void start(Cluster.LbPolicy policy, RouteAction.HashPolicy... hashPolicies) {
        mesh.ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(HELLO)
                        .setConnectTimeout(millis(1000))
                        .setLbPolicy(policy)
                        .build());
        mesh.ads.set(
                ResourceType.ENDPOINT,
                "1",
                cla(
                        HELLO,
                        locality(
                                "r",
                                "z",
                                0,
                                servers.stream().map(EchoServer::address).toArray(String[]::new))));
        mesh.ads.set(ResourceType.LISTENER, "1", outboundListener());
        mesh.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig(
                        "http_proxy",
                        VirtualHost.newBuilder()
                                .setName("hello")
                                .addDomains(AUTHORITY)
                                .addRoutes(Route.newBuilder()
                                        .setName("default")
                                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                        .setRoute(RouteAction.newBuilder()
                                                .setCluster(HELLO)
                                                .setTimeout(EnvoyResources.seconds(0))
                                                .addAllHashPolicy(List.of(hashPolicies))))
                                .build()));
        proxy = mesh.start();
    }

    private Response get(String path, String headers) {
        return RawHttpClient.exchange(
                proxy.outboundPort(),
                "GET http://" + AUTHORITY + path + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n" + headers
                        + "Connection: close\r\n\r\n");
    }

    private static String server(Response response) {
        return response.body().split(" ")[0];
    }

    @Test
    void aHeaderPinsEachUserToOneHostAndUsersSpreadOverHosts() {
        start(
                Cluster.LbPolicy.RING_HASH,
                RouteAction.HashPolicy.newBuilder()
                        .setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName("x-user"))
                        .build());

        Set<String> used = new HashSet<>();
        for (int user = 0; user < 30; user++) {
            String first = server(get("/", "x-user: u" + user + "\r\n"));
            for (int again = 0; again < 3; again++) {
                assertThat(server(get("/", "x-user: u" + user + "\r\n"))).isEqualTo(first);
            }
            used.add(first);
        }
        assertThat(used).hasSizeGreaterThan(1);
    }

    @Test
    void aQueryParameterPinsWithMaglev() {
        start(
                Cluster.LbPolicy.MAGLEV,
                RouteAction.HashPolicy.newBuilder()
                        .setQueryParameter(RouteAction.HashPolicy.QueryParameter.newBuilder()
                                .setName("session"))
                        .build());

        for (int session = 0; session < 10; session++) {
            String first = server(get("/?session=" + session, ""));
            assertThat(server(get("/other?session=" + session + "&x=1", ""))).isEqualTo(first);
        }
    }

    @Test
    void aMissingCookieWithTtlIsMadeUpSetOnTheResponseAndThenPins() {
        start(
                Cluster.LbPolicy.RING_HASH,
                RouteAction.HashPolicy.newBuilder()
                        .setCookie(RouteAction.HashPolicy.Cookie.newBuilder()
                                .setName("sticky")
                                .setPath("/")
                                .setTtl(EnvoyResources.seconds(60)))
                        .build());

        Response first = get("/", "");
        String setCookie = first.header("set-cookie");

        assertThat(setCookie).startsWith("sticky=\"").contains("; Max-Age=60; Path=/; HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String pinned = server(get("/", "Cookie: " + cookie + "\r\n"));
        for (int i = 0; i < 5; i++) {
            Response again = get("/", "Cookie: " + cookie + "\r\n");
            assertThat(server(again)).isEqualTo(pinned);
            assertThat(again.header("set-cookie")).isNull();
        }
    }

    @Test
    void theSourceIpPinsEveryRequestOfAClient() {
        start(
                Cluster.LbPolicy.RING_HASH,
                RouteAction.HashPolicy.newBuilder()
                        .setConnectionProperties(RouteAction.HashPolicy.ConnectionProperties.newBuilder()
                                .setSourceIp(true))
                        .build());

        String first = server(get("/", ""));
        for (int i = 0; i < 10; i++) {
            assertThat(server(get("/" + i, ""))).isEqualTo(first);
        }
    }
}

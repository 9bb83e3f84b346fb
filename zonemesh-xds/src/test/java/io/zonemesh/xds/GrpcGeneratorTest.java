package io.zonemesh.xds;

import static io.zonemesh.xds.Fixtures.HELLO;
import static io.zonemesh.xds.Rules.exact;
import static io.zonemesh.xds.Rules.match;
import static io.zonemesh.xds.Rules.rule;
import static io.zonemesh.xds.Rules.to;
import static io.zonemesh.xds.Rules.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.Redirect;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a proxyless gRPC client (it announces envoy.lb.does_not_support_overprovisioning) receives. */
class GrpcGeneratorTest {
    private static final ProxyIdentity GRPC = ProxyIdentity.sidecar(
                    "sample", "client", Map.of(), Locality.parse("r1/z1"))
            .withoutOverprovisioning(true);
    private static final DestinationRuleConfig SUBSETS = Fixtures.rule(
            "sample",
            "helloworld",
            null,
            List.of(
                    new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null),
                    new DestinationRuleConfig.Subset("v2", Map.of("version", "v2"), null)),
            Map.of());
    private final XdsGenerator generator = new XdsGenerator();

    private static TestMesh hello() {
        return new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .rule(SUBSETS)
                .endpoints(Fixtures.endpoint("10.0.0.1", "r1/z1", Map.of("version", "v1")));
    }

    private static RouteConfiguration routes(XdsResources r, String name) {
        return r.routes().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void everyNameACallerMayTargetIsAnApiListenerWithRdsAndTheRouterLast() throws Exception {
        XdsResources r = generator.generate(hello().build(), GRPC);

        assertThat(r.listeners())
                .extracting(Listener::getName)
                .containsExactly(
                        HELLO + ":5000", "helloworld.sample.svc:5000", "helloworld.sample:5000", "helloworld:5000");
        Listener l = r.listeners().get(0);
        assertThat(l.hasApiListener()).isTrue();
        assertThat(l.getFilterChainsCount()).isZero();
        HttpConnectionManager hcm = l.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
        assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("outbound|5000||" + HELLO);
        List<HttpFilter> filters = hcm.getHttpFiltersList();
        assertThat(filters.get(filters.size() - 1).getTypedConfig().getTypeUrl())
                .isEqualTo("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
        // No sidecar listeners, no inbound side.
        assertThat(r.clusters()).extracting(c -> c.getName()).noneMatch(n -> n.startsWith("inbound"));
    }

    @Test
    void theRouteConfigurationListsEveryNameWithAndWithoutPort() {
        RouteConfiguration rc = routes(generator.outbound(hello().build(), GRPC), "outbound|5000||" + HELLO);

        assertThat(rc.getVirtualHostsList()).hasSize(1);
        assertThat(rc.getVirtualHosts(0).getDomainsList())
                .containsExactly(
                        HELLO,
                        HELLO + ":5000",
                        "helloworld.sample.svc",
                        "helloworld.sample.svc:5000",
                        "helloworld.sample",
                        "helloworld.sample:5000",
                        "helloworld",
                        "helloworld:5000");
        assertThat(rc.getVirtualHosts(0).getRoutes(0).getRoute().getCluster()).isEqualTo("outbound|5000||" + HELLO);
    }

    @Test
    void virtualServiceRoutesKeepWhatGrpcUnderstands() {
        VirtualServiceConfig vs = vs(
                "sample",
                "hello",
                List.of("helloworld"),
                List.of(),
                rule().when(match().header("x-old", exact("1")))
                        .redirect(new Redirect("/new", null, null, null, 301))
                        .build(),
                rule(to("helloworld", "v2", 100))
                        .when(match().header("x-user", exact("alice")))
                        .build(),
                rule(to("helloworld", "v1", 100))
                        .when(match().query("debug", exact("1")))
                        .build(),
                rule(to("helloworld", "v1", 90), to("helloworld", "v2", 10))
                        .timeout(Duration.ofSeconds(3))
                        .mirror(new VirtualServiceConfig.Destination("helloworld", "v2", null), null)
                        .build());
        XdsResources r = generator.outbound(hello().virtualService(vs).build(), GRPC);

        List<Route> routes =
                routes(r, "outbound|5000||" + HELLO).getVirtualHosts(0).getRoutesList();

        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).getMatch().getHeaders(0).getName()).isEqualTo("x-user");
        assertThat(routes.get(0).getRoute().getCluster()).isEqualTo("outbound|5000|v2|" + HELLO);
        Route split = routes.get(1);
        assertThat(split.getRoute().getWeightedClusters().getClustersCount()).isEqualTo(2);
        assertThat(split.getRoute()
                        .getMaxStreamDuration()
                        .getMaxStreamDuration()
                        .getSeconds())
                .isEqualTo(3);
        assertThat(split.getRoute().getRequestMirrorPoliciesCount()).isZero();
        assertThat(r.warnings())
                .containsExactly(
                        "VirtualService/sample/hello http[0] match[0]: route left out for grpc clients: they reject "
                                + "redirects",
                        "VirtualService/sample/hello http[2] match[0]: route left out for grpc clients: they cannot match "
                                + "query parameters");
    }

    @Test
    void onlyHeaderHashPoliciesReachGrpc() {
        TrafficPolicy cookie = new TrafficPolicy(
                new LoadBalancerSettings(
                        null,
                        new LoadBalancerSettings.ConsistentHash(
                                null,
                                new LoadBalancerSettings.HttpCookie("session", null, Duration.ofMinutes(5)),
                                false,
                                null,
                                null,
                                null),
                        null,
                        null),
                null,
                null,
                null,
                List.of());
        MeshState state = new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .rule(Fixtures.rule("sample", "helloworld", cookie))
                .build();

        Route envoy = routes(
                        generator.outbound(state, ProxyIdentity.sidecar("sample", "e", Map.of(), Locality.EMPTY)),
                        RouteGenerator.HTTP_PROXY)
                .getVirtualHosts(0)
                .getRoutes(0);
        Route grpc = routes(generator.outbound(state, GRPC), "outbound|5000||" + HELLO)
                .getVirtualHosts(0)
                .getRoutes(0);

        assertThat(envoy.getRoute().getHashPolicy(0).getCookie().getTtl().getSeconds())
                .isEqualTo(300);
        assertThat(grpc.getRoute().getHashPolicyCount()).isZero();
    }

    @Test
    void servicesResolvedByDnsGetNoListenerForGrpc() {
        Service external = new Service(
                "api.example.com",
                "sample",
                "api",
                List.of(new ServicePort("http", 80, 0, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.SERVICE_ENTRY_EXTERNAL,
                Service.Resolution.DNS,
                List.of(),
                null);
        MeshState state = hello().service(external)
                .endpoints(Fixtures.endpoint(
                        "api.example.com", 80, "api.example.com", "r1/z1", Map.of(), HealthStatus.HEALTHY, 1))
                .build();

        XdsResources r = generator.outbound(state, GRPC);

        assertThat(r.listeners()).extracting(Listener::getName).noneMatch(n -> n.startsWith("api.example.com"));
        assertThat(r.routes()).extracting(RouteConfiguration::getName).containsExactly("outbound|5000||" + HELLO);
    }
}

package io.zonemesh.xds;

import static io.zonemesh.xds.Rules.gateway;
import static io.zonemesh.xds.Rules.http;
import static io.zonemesh.xds.Rules.https;
import static io.zonemesh.xds.Rules.match;
import static io.zonemesh.xds.Rules.prefix;
import static io.zonemesh.xds.Rules.rule;
import static io.zonemesh.xds.Rules.to;
import static io.zonemesh.xds.Rules.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.VirtualServiceConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gateway resources to the listeners and routes of the gateway proxies they select. */
class GatewayTest {
    private static final String TEST = "istio-test.dev.svc.cluster.local";
    private static final Map<String, String> INGRESS = Map.of("istio", "ingressgateway");
    private static final ProxyIdentity GATEWAY = new ProxyIdentity(
            "istio-system",
            "ingress-1",
            "istio-ingressgateway",
            Map.of("istio", "ingressgateway", "app", "istio-ingressgateway"),
            Locality.parse("r1/z1"),
            ProxyIdentity.ProxyType.ROUTER,
            false,
            Map.of(),
            "",
            "",
            "");
    private final XdsGenerator generator = new XdsGenerator();

    private static TestMesh mesh() {
        return new TestMesh().service(Fixtures.service("istio-test", "dev", 8900));
    }

    private static VirtualServiceConfig bound(String namespace, List<String> hosts, String... gateways) {
        return vs(
                namespace,
                "vs-" + hosts.get(0).replace("*", "w"),
                hosts,
                List.of(gateways),
                rule(to(TEST, null, 100)).build());
    }

    private static Listener listener(XdsResources r, String name) {
        return r.listeners().stream()
                .filter(l -> l.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static RouteConfiguration routes(XdsResources r, String name) {
        return r.routes().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static HttpConnectionManager hcm(FilterChain chain) throws Exception {
        return chain.getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
    }

    @Test
    void aSelectedGatewaysHttpServerBecomesAListenerWithRdsForItsPort() throws Exception {
        MeshState state = mesh().gateway(gateway("dev", "test-gateway", INGRESS, http(80, "*")))
                .virtualService(bound("dev", List.of("istiotest.example.com"), "test-gateway"))
                .build();

        XdsResources r = generator.generate(state, GATEWAY);

        assertThat(r.listeners()).extracting(Listener::getName).containsExactly("0.0.0.0_80", "virtualOutbound");
        Listener l = listener(r, "0.0.0.0_80");
        assertThat(l.getAddress().getSocketAddress().getPortValue()).isEqualTo(80);
        assertThat(l.getTrafficDirection()).isEqualTo(TrafficDirection.OUTBOUND);
        HttpConnectionManager hcm = hcm(l.getFilterChains(0));
        assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("http.80");
        assertThat(hcm.getStatPrefix()).isEqualTo("outbound_0.0.0.0_80");
        assertThat(hcm.getUseRemoteAddress().getValue()).isTrue();
        assertThat(hcm.getHttpFiltersList())
                .extracting(HttpFilter::getName)
                .containsExactly("envoy.filters.http.fault", "envoy.filters.http.router");
        RouteConfiguration http80 = routes(r, "http.80");
        assertThat(http80.getIgnorePortInHostMatching()).isTrue();
        assertThat(http80.getVirtualHostsList())
                .extracting(VirtualHost::getName)
                .containsExactly("istiotest.example.com:80");
        assertThat(http80.getVirtualHosts(0).getRoutes(0).getRoute().getCluster())
                .isEqualTo("outbound|8900||" + TEST);
        // Gateways get no inbound resources.
        assertThat(r.clusters()).extracting(c -> c.getName()).noneMatch(n -> n.startsWith("inbound"));
    }

    @Test
    void hostsWithTheSameRoutesShareOneVirtualHost() {
        MeshState state = mesh().gateway(gateway("dev", "test-gateway", INGRESS, http(80, "*")))
                .virtualService(bound("dev", List.of("istiotest.example.com", "istio-test"), "test-gateway"))
                .build();

        List<VirtualHost> vhosts =
                routes(generator.outbound(state, GATEWAY), "http.80").getVirtualHostsList();

        assertThat(vhosts).hasSize(1);
        assertThat(vhosts.get(0).getName()).isEqualTo(TEST + ":80");
        assertThat(vhosts.get(0).getDomainsList()).containsExactly(TEST, "istiotest.example.com");
    }

    @Test
    void virtualHostsAreTheIntersectionOfServerAndVirtualServiceHostsInTheServersNamespaces() {
        MeshState state = mesh().gateway(
                        gateway("dev", "gw", INGRESS, http(80, "dev/*.example.com", "prod/shop.example.com")))
                .virtualService(bound("dev", List.of("a.example.com", "other.org"), "gw"))
                .virtualService(bound("dev", List.of("shop.example.com"), "gw"))
                .virtualService(vs(
                        "prod",
                        "wild",
                        List.of("*.example.com"),
                        List.of("dev/gw"),
                        rule(to(TEST, null, 100))
                                .when(match().uri(prefix("/prod")))
                                .build()))
                .build();

        List<VirtualHost> vhosts =
                routes(generator.outbound(state, GATEWAY), "http.80").getVirtualHostsList();

        // dev's VirtualServices may use dev/* hosts only; prod's only prod/shop.example.com.
        assertThat(vhosts).extracting(VirtualHost::getName).containsExactly("a.example.com:80", "shop.example.com:80");
        assertThat(vhosts.get(0).getRoutesList())
                .extracting(x -> x.getMatch().getPrefix())
                .containsExactly("/");
        // Both VirtualServices route shop.example.com: their routes join, catch-alls last.
        assertThat(vhosts.get(1).getRoutesList())
                .extracting(x -> x.getMatch().getPrefix())
                .containsExactly("/prod", "/");
    }

    @Test
    void aGatewayWithoutMatchingVirtualServicesAnswers404FromABlackholeHost() {
        MeshState state =
                mesh().gateway(gateway("dev", "gw", INGRESS, http(8080, "*"))).build();

        VirtualHost blackhole =
                routes(generator.outbound(state, GATEWAY), "http.8080").getVirtualHosts(0);

        assertThat(blackhole.getName()).isEqualTo("blackhole:8080");
        assertThat(blackhole.getDomainsList()).containsExactly("*");
        assertThat(blackhole.getRoutesCount()).isZero();
    }

    @Test
    void onlyRouterProxiesWhoseLabelsMatchTheSelectorGetGatewayListeners() {
        MeshState state = mesh().gateway(gateway("dev", "gw", INGRESS, http(80, "*")))
                .gateway(gateway("dev", "any", Map.of(), http(81, "*")))
                .build();
        ProxyIdentity otherGateway = new ProxyIdentity(
                "istio-system",
                "eg-1",
                "egress",
                Map.of("istio", "egress"),
                Locality.EMPTY,
                ProxyIdentity.ProxyType.ROUTER,
                false,
                Map.of(),
                "",
                "",
                "");
        ProxyIdentity sidecar = ProxyIdentity.sidecar("istio-system", "x", INGRESS, Locality.EMPTY);

        assertThat(generator.outbound(state, otherGateway).listeners())
                .extracting(Listener::getName)
                .containsExactly("0.0.0.0_81", "virtualOutbound");
        assertThat(generator.outbound(state, sidecar).listeners())
                .extracting(Listener::getName)
                .containsExactly("virtualOutbound");
        assertThat(ProxyGroupKey.of(state, GATEWAY).labels()).containsEntry("istio", "ingressgateway");
        assertThat(ProxyGroupKey.of(state, sidecar).labels()).doesNotContainKey("istio");
        assertThat(ProxyGroupKey.of(state, GATEWAY)).isNotEqualTo(ProxyGroupKey.of(state, otherGateway));
    }

    @Test
    void httpsServersTerminateTlsWithFileCertificatesPerSniFilterChain() throws Exception {
        MeshState state = mesh().gateway(gateway(
                        "dev",
                        "gw",
                        INGRESS,
                        https(443, "https-shop", "dev/shop.example.com", "www.example.com"),
                        https(443, "https-any", "*")))
                .virtualService(bound("dev", List.of("shop.example.com"), "gw"))
                .build();

        XdsResources r = generator.outbound(state, GATEWAY);

        Listener l = listener(r, "0.0.0.0_443");
        assertThat(l.getListenerFiltersList())
                .extracting(f -> f.getName())
                .containsExactly("envoy.filters.listener.tls_inspector");
        assertThat(l.getFilterChainsList()).hasSize(2);
        FilterChain shop = l.getFilterChains(0);
        assertThat(shop.getFilterChainMatch().getServerNamesList())
                .containsExactly("shop.example.com", "www.example.com");
        assertThat(l.getFilterChains(1).hasFilterChainMatch()).isFalse();
        assertThat(shop.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        DownstreamTlsContext tls = shop.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        assertThat(tls.getCommonTlsContext()
                        .getTlsCertificates(0)
                        .getCertificateChain()
                        .getFilename())
                .isEqualTo("/etc/certs/https-shop.pem");
        assertThat(tls.getCommonTlsContext()
                        .getTlsCertificates(0)
                        .getPrivateKey()
                        .getFilename())
                .isEqualTo("/etc/certs/https-shop.key");
        assertThat(tls.getCommonTlsContext().getAlpnProtocolsList()).containsExactly("h2", "http/1.1");
        assertThat(tls.hasRequireClientCertificate()).isFalse();
        assertThat(hcm(shop).getRds().getRouteConfigName()).isEqualTo("https.443.https-shop.gw.dev");
        assertThat(routes(r, "https.443.https-shop.gw.dev").getVirtualHosts(0).getDomainsList())
                .containsExactly("shop.example.com");
        assertThat(routes(r, "https.443.https-any.gw.dev").getVirtualHosts(0).getName())
                .isEqualTo("shop.example.com:443");
    }

    @Test
    void httpsRedirectMakesEveryServerHostRequireTls() {
        GatewayConfig.Server redirecting = new GatewayConfig.Server(
                80,
                "http",
                "HTTP",
                List.of("shop.example.com", "dev/blog.example.com"),
                new GatewayConfig.ServerTls("SIMPLE", null, null, null, null, true),
                null);
        MeshState state = mesh().gateway(gateway("dev", "gw", INGRESS, redirecting))
                .virtualService(bound("dev", List.of("shop.example.com"), "gw"))
                .build();

        List<VirtualHost> vhosts =
                routes(generator.outbound(state, GATEWAY), "http.80").getVirtualHostsList();

        assertThat(vhosts)
                .extracting(VirtualHost::getName)
                .containsExactly("blog.example.com:80", "shop.example.com:80");
        assertThat(vhosts).extracting(VirtualHost::getRequireTls).containsOnly(VirtualHost.TlsRequirementType.ALL);
        assertThat(vhosts.get(0).getRoutesCount()).isZero();
        assertThat(vhosts.get(1).getRoutesCount()).isEqualTo(1);
    }

    @Test
    void httpServersOfSeveralGatewaysOnOnePortShareItsRoutes() {
        MeshState state = mesh().gateway(gateway("dev", "a", INGRESS, http(80, "a.example.com")))
                .gateway(gateway("prod", "b", INGRESS, http(80, "b.example.com")))
                .virtualService(bound("dev", List.of("a.example.com"), "a"))
                .virtualService(bound("prod", List.of("b.example.com"), "b"))
                .build();

        XdsResources r = generator.outbound(state, GATEWAY);

        assertThat(r.listeners()).extracting(Listener::getName).containsExactly("0.0.0.0_80", "virtualOutbound");
        // Equal routes: one virtual host answers for both gateways' hosts.
        assertThat(routes(r, "http.80").getVirtualHostsList())
                .extracting(v -> List.copyOf(v.getDomainsList()))
                .containsExactly(List.of("a.example.com", "b.example.com"));
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void conflictingAndUnsupportedServersAreLeftOutAndReported() {
        GatewayConfig.Server tcp = new GatewayConfig.Server(9000, "tcp", "TCP", List.of("*"), null, null);
        MeshState state = mesh().gateway(gateway("dev", "a", INGRESS, http(80, "*"), tcp))
                .gateway(gateway(
                        "dev",
                        "b",
                        INGRESS,
                        https(80, "https-b", "*"),
                        new GatewayConfig.Server(80, "http2", "HTTP2", List.of("*"), null, null)))
                .build();

        XdsResources r = generator.outbound(state, GATEWAY);

        assertThat(r.listeners()).extracting(Listener::getName).containsExactly("0.0.0.0_80", "virtualOutbound");
        assertThat(r.warnings())
                .containsExactly(
                        "Gateway/dev/a servers[1] (port 9000): left out: only HTTP servers and HTTPS servers terminating TLS "
                                + "(SIMPLE, MUTUAL) are served, not TCP",
                        "Gateway/dev/b servers[0] (port 80): left out: port 80 is already served as HTTP by an earlier server",
                        "Gateway/dev/b servers[1] (port 80): left out: port 80 is already served as HTTP by an earlier server");
    }

    @Test
    void routesMatchingOnlyTheGatewayGoToItAndMeshOnesToSidecars() {
        VirtualServiceConfig vs = vs(
                "dev",
                "split",
                List.of("istio-test"),
                List.of("test-gateway", "mesh"),
                rule(to(TEST, null, 100))
                        .when(match().gateways("test-gateway").uri(prefix("/edge")))
                        .build(),
                rule(to(TEST, null, 100))
                        .when(match().gateways("mesh").uri(prefix("/inside")))
                        .build());
        MeshState state = mesh().gateway(gateway("dev", "test-gateway", INGRESS, http(80, "*")))
                .virtualService(vs)
                .build();
        ProxyIdentity sidecar = ProxyIdentity.sidecar("dev", "c", Map.of(), Locality.EMPTY);

        List<Route> atGateway = routes(generator.outbound(state, GATEWAY), "http.80")
                .getVirtualHosts(0)
                .getRoutesList();
        List<Route> atSidecar = routes(generator.outbound(state, sidecar), RouteGenerator.HTTP_PROXY)
                .getVirtualHosts(0)
                .getRoutesList();

        assertThat(atGateway).extracting(x -> x.getMatch().getPrefix()).containsExactly("/edge");
        assertThat(atSidecar).extracting(x -> x.getMatch().getPrefix()).containsExactly("/inside");
    }
}

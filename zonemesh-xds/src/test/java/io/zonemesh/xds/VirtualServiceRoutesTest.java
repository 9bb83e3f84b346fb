package io.zonemesh.xds;

import static io.zonemesh.xds.Fixtures.HELLO;
import static io.zonemesh.xds.Rules.exact;
import static io.zonemesh.xds.Rules.match;
import static io.zonemesh.xds.Rules.prefix;
import static io.zonemesh.xds.Rules.regex;
import static io.zonemesh.xds.Rules.rule;
import static io.zonemesh.xds.Rules.to;
import static io.zonemesh.xds.Rules.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.zonemesh.model.Locality;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.VirtualServiceConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VirtualService rules to sidecar routes: which routes exist, in which order, for which proxy. */
class VirtualServiceRoutesTest {
    private static final ProxyIdentity CLIENT =
            ProxyIdentity.sidecar("sample", "sleep-1", Map.of("app", "sleep"), Locality.parse("r1/z1"));
    private static final DestinationRuleConfig SUBSETS = Fixtures.rule(
            "sample",
            "helloworld",
            null,
            List.of(
                    new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null),
                    new DestinationRuleConfig.Subset("v2", Map.of("version", "v2"), null)),
            Map.of());
    private final XdsGenerator generator = new XdsGenerator();

    private static TestMesh mesh(VirtualServiceConfig vs) {
        return new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .rule(SUBSETS)
                .virtualService(vs);
    }

    private static VirtualServiceConfig hello(Rules.Rule... rules) {
        Rules.Rule[] r = rules;
        return vs(
                "sample",
                "hello",
                List.of("helloworld"),
                List.of(),
                java.util.Arrays.stream(r).map(Rules.Rule::build).toArray(VirtualServiceConfig.HttpRoute[]::new));
    }

    private static List<Route> routes(XdsResources r, String vhost) {
        return r.routes().stream()
                .filter(c -> c.getName().equals(RouteGenerator.HTTP_PROXY))
                .findFirst()
                .orElseThrow()
                .getVirtualHostsList()
                .stream()
                .filter(v -> v.getName().equals(vhost))
                .findFirst()
                .orElseThrow()
                .getRoutesList();
    }

    @Test
    void aRuleWithSeveralMatchesGivesOneRoutePerMatchWithTheSameAction() {
        XdsResources r = generator.outbound(
                mesh(hello(
                                rule(to("helloworld", "v2", 100))
                                        .name("beta")
                                        .when(
                                                match().name("by-header").header("x-beta", exact("1")),
                                                match().uri(prefix("/beta"))),
                                rule(to("helloworld", "v1", 100))))
                        .build(),
                CLIENT);

        List<Route> routes = routes(r, HELLO + ":5000");

        assertThat(routes).extracting(Route::getName).containsExactly("beta.by-header", "beta", "");
        assertThat(routes.get(0).getRoute()).isEqualTo(routes.get(1).getRoute());
        assertThat(routes.get(1).getMatch().getPrefix()).isEqualTo("/beta");
        assertThat(routes.get(2).getRoute().getCluster()).isEqualTo("outbound|5000|v1|" + HELLO);
    }

    @Test
    void nothingAfterACatchAllIsEmitted() {
        XdsResources r = generator.outbound(
                mesh(hello(
                                rule(to("helloworld", "v1", 100))
                                        .when(
                                                match().uri(prefix("/a")),
                                                match().uri(prefix("/")),
                                                match().uri(prefix("/never"))),
                                rule(to("helloworld", "v2", 100))))
                        .build(),
                CLIENT);

        assertThat(routes(r, HELLO + ":5000"))
                .extracting(x -> x.getMatch().getPrefix())
                .containsExactly("/a", "/");
    }

    @Test
    void matchPortLimitsTheRouteToThatPortsVirtualHost() {
        Service twoPorts = new Service(
                HELLO,
                "sample",
                "helloworld",
                List.of(
                        new ServicePort("http", 5000, 5000, Protocol.HTTP),
                        new ServicePort("http-admin", 9000, 9000, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
        VirtualServiceConfig vs =
                hello(rule(to("helloworld", null, 100)).when(match().port(9000).uri(prefix("/admin"))));
        XdsResources r = generator.outbound(
                new TestMesh().service(twoPorts).virtualService(vs).build(), CLIENT);

        assertThat(routes(r, HELLO + ":9000"))
                .extracting(x -> x.getMatch().getPrefix())
                .containsExactly("/admin");
        assertThat(routes(r, HELLO + ":9000").get(0).getRoute().getCluster()).isEqualTo("outbound|9000||" + HELLO);
        // No rule applies on 5000, so that port keeps Istio's default route.
        assertThat(routes(r, HELLO + ":5000")).extracting(Route::getName).containsExactly("default");
    }

    @Test
    void sourceLabelsAndSourceNamespaceSelectWhichProxiesGetTheRoute() {
        VirtualServiceConfig vs = hello(
                rule(to("helloworld", "v2", 100)).when(match().sourceLabels(Map.of("track", "canary"))),
                rule(to("helloworld", "v1", 100)).when(match().sourceNamespace("other")),
                rule(to("helloworld", null, 100)));
        var state = mesh(vs).build();
        ProxyIdentity canary = ProxyIdentity.sidecar("sample", "c", Map.of("track", "canary"), Locality.parse("r1/z1"));

        List<Route> forCanary = routes(generator.outbound(state, canary), HELLO + ":5000");
        List<Route> forOthers = routes(generator.outbound(state, CLIENT), HELLO + ":5000");

        assertThat(forCanary).extracting(x -> x.getRoute().getCluster()).containsExactly("outbound|5000|v2|" + HELLO);
        assertThat(forOthers).extracting(x -> x.getRoute().getCluster()).containsExactly("outbound|5000||" + HELLO);
        assertThat(ProxyGroupKey.of(state, canary)).isNotEqualTo(ProxyGroupKey.of(state, CLIENT));
        assertThat(ProxyGroupKey.of(state, canary).labels()).containsEntry("track", "canary");
    }

    @Test
    void matchGatewaysKeepARouteOffSidecarsUnlessMeshIsListed() {
        VirtualServiceConfig vs = vs(
                "sample",
                "hello",
                List.of("helloworld"),
                List.of("edge", "mesh"),
                rule(to("helloworld", "v2", 100))
                        .when(match().gateways("edge").uri(prefix("/edge-only")))
                        .build(),
                rule(to("helloworld", "v1", 100))
                        .when(match().gateways("mesh").uri(prefix("/mesh")))
                        .build());

        List<Route> routes = routes(generator.outbound(mesh(vs).build(), CLIENT), HELLO + ":5000");

        assertThat(routes).extracting(x -> x.getMatch().getPrefix()).containsExactly("/mesh");
    }

    @Test
    void weightedDestinationsDropZeroWeightsAndNameSubsetClusters() {
        XdsResources r = generator.outbound(
                mesh(hello(rule(to("helloworld", "v1", 90), to("helloworld", "v2", 10), to("helloworld", null, 0))))
                        .build(),
                CLIENT);

        WeightedCluster w = routes(r, HELLO + ":5000").get(0).getRoute().getWeightedClusters();

        assertThat(w.getClustersList())
                .extracting(c -> c.getName() + "=" + c.getWeight().getValue())
                .containsExactly("outbound|5000|v1|" + HELLO + "=90", "outbound|5000|v2|" + HELLO + "=10");
        assertThat(w.hasTotalWeight()).isFalse();
    }

    @Test
    void routesThatWouldBreakTheConfigurationAreLeftOutAndReported() {
        XdsResources r = generator.outbound(
                mesh(hello(
                                rule(to("helloworld", "v9", 100)).when(match().uri(prefix("/missing-subset"))),
                                rule(to("nosuch", null, 100)).when(match().uri(prefix("/missing-host"))),
                                rule(to("helloworld", "v1", 60), to("helloworld", "v2", 30))
                                        .when(match().uri(prefix("/bad-split"))),
                                rule(to("helloworld", "v1", 100)).when(match().uri(regex("(unclosed"))),
                                rule(to("helloworld", "v1", 100))))
                        .build(),
                CLIENT);

        assertThat(routes(r, HELLO + ":5000")).hasSize(1);
        assertThat(r.warnings())
                .containsExactly(
                        "VirtualService/sample/hello http[0] match[0]: route left out: subset v9 of " + HELLO
                                + " is not defined by any DestinationRule",
                        "VirtualService/sample/hello http[1] match[0]: route left out: destination host "
                                + "nosuch.sample.svc.cluster.local is not a service this proxy can see",
                        "VirtualService/sample/hello http[2] match[0]: route left out: destination weights sum to 90 "
                                + "(expected: 100)",
                        "VirtualService/sample/hello http[3] match[0]: route left out: regex (unclosed does not compile "
                                + "(Unclosed group)");
    }

    @Test
    void aVirtualServiceThatYieldsNoRouteLeavesTheDefaultRoute() {
        XdsResources r = generator.outbound(
                mesh(hello(rule(to("helloworld", "v9", 100)))).build(), CLIENT);

        assertThat(routes(r, HELLO + ":5000")).extracting(Route::getName).containsExactly("default");
        assertThat(r.warnings()).hasSize(1);
    }

    @Test
    void destinationPortIsExplicitOrTheServicesOnlyPort() {
        Service reviews = new Service(
                "reviews.sample.svc.cluster.local",
                "sample",
                "reviews",
                List.of(new ServicePort("http", 9080, 9080, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
        Service twoPorts = new Service(
                HELLO,
                "sample",
                "helloworld",
                List.of(
                        new ServicePort("http", 5000, 5000, Protocol.HTTP),
                        new ServicePort("http-b", 5001, 5001, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
        VirtualServiceConfig vs = hello(
                rule(to("reviews", null, 100)).when(match().uri(prefix("/reviews"))),
                rule(to("helloworld", null, 5001, 100, null)).when(match().uri(prefix("/b"))),
                rule(to("helloworld", null, 100)));
        XdsResources r = generator.outbound(
                new TestMesh()
                        .service(reviews)
                        .service(twoPorts)
                        .virtualService(vs)
                        .build(),
                CLIENT);

        assertThat(routes(r, HELLO + ":5000"))
                .extracting(x -> x.getRoute().getCluster())
                .containsExactly(
                        "outbound|9080||reviews.sample.svc.cluster.local",
                        "outbound|5001||" + HELLO,
                        "outbound|5000||" + HELLO);
        assertThat(routes(r, HELLO + ":5001"))
                .extracting(x -> x.getRoute().getCluster())
                .last()
                .isEqualTo("outbound|5001||" + HELLO);
    }

    @Test
    void aVirtualServiceHostThatIsNoServiceGetsAPort80VirtualHost() {
        VirtualServiceConfig vs = vs(
                "sample",
                "external",
                List.of("hello.example.com", "*.wild.example"),
                List.of(),
                rule(to("helloworld", "v1", 100)).build());

        XdsResources r = generator.outbound(mesh(vs).build(), CLIENT);

        List<VirtualHost> vhosts = r.routes().get(0).getVirtualHostsList();
        assertThat(vhosts)
                .extracting(VirtualHost::getName)
                .containsExactly(HELLO + ":5000", "hello.example.com:80", "*.wild.example:80");
        assertThat(vhosts.get(1).getDomainsList()).containsExactly("hello.example.com:80", "hello.example.com");
        assertThat(vhosts.get(1).getRoutes(0).getRoute().getCluster()).isEqualTo("outbound|5000|v1|" + HELLO);
        assertThat(vhosts.get(2).getDomainsList()).containsExactly("*.wild.example:80", "*.wild.example");
    }

    @Test
    void aVirtualServiceNotExportedToTheProxysNamespaceDoesNotApply() {
        VirtualServiceConfig local = new VirtualServiceConfig(
                Fixtures.meta("VirtualService", "other", "x", Map.of()),
                List.of(HELLO),
                List.of(),
                List.of("."),
                List.of(rule(to(HELLO, "v2", 100)).build()));

        XdsResources r = generator.outbound(mesh(local).build(), CLIENT);

        assertThat(routes(r, HELLO + ":5000")).extracting(Route::getName).containsExactly("default");
    }

    @Test
    void consistentHashDestinationsCarryHashPoliciesAndSingleOnesRetryOnTheSameHost() {
        TrafficPolicy hash = new TrafficPolicy(
                new LoadBalancerSettings(
                        null,
                        new LoadBalancerSettings.ConsistentHash("x-user", null, false, null, null, null),
                        null,
                        null),
                null,
                null,
                null,
                List.of());
        DestinationRuleConfig rule = Fixtures.rule(
                "sample",
                "helloworld",
                hash,
                List.of(
                        new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null),
                        new DestinationRuleConfig.Subset("v2", Map.of("version", "v2"), null)),
                Map.of());
        VirtualServiceConfig vs = hello(
                rule(to("helloworld", "v1", 100)).when(match().uri(prefix("/one"))),
                rule(to("helloworld", "v1", 50), to("helloworld", "v2", 50)));
        XdsResources r = generator.outbound(
                new TestMesh()
                        .service(Fixtures.service("helloworld", "sample", 5000))
                        .rule(rule)
                        .virtualService(vs)
                        .build(),
                CLIENT);

        List<Route> routes = routes(r, HELLO + ":5000");

        assertThat(routes.get(0).getRoute().getHashPolicyList())
                .extracting(h -> h.getHeader().getHeaderName())
                .containsExactly("x-user");
        assertThat(routes.get(0).getRoute().getRetryPolicy().getRetryHostPredicateCount())
                .isZero();
        // Both destinations hash on the same header: one policy, not two.
        assertThat(routes.get(1).getRoute().getHashPolicyCount()).isEqualTo(1);
        assertThat(routes.get(1).getRoute().getRetryPolicy().getRetryHostPredicateCount())
                .isEqualTo(1);
    }

    @Test
    void writtenHostsFindServiceEntryNamesAsWrittenAndKubernetesNamesExpanded() {
        Service httpbin = new Service(
                "httpbin.org",
                "sample",
                "httpbin",
                List.of(new ServicePort("http", 80, 0, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.SERVICE_ENTRY_EXTERNAL,
                Service.Resolution.EDS,
                List.of(),
                null);
        VirtualServiceConfig external = vs(
                "sample",
                "httpbin",
                List.of("httpbin.org"),
                List.of(),
                rule(to("helloworld.sample", null, 100)).build());
        XdsResources r = generator.outbound(
                new TestMesh()
                        .service(httpbin)
                        .service(Fixtures.service("helloworld", "sample", 5000))
                        .virtualService(external)
                        .build(),
                CLIENT);

        assertThat(routes(r, "httpbin.org:80"))
                .extracting(x -> x.getRoute().getCluster())
                .containsExactly("outbound|5000||" + HELLO);
        assertThat(r.warnings()).isEmpty();
    }
}

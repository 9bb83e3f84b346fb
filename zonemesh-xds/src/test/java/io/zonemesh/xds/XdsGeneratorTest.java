package io.zonemesh.xds;

import static io.zonemesh.xds.Fixtures.HELLO;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpRoute;
import io.zonemesh.model.istio.VirtualServiceConfig.RouteDestination;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XdsGeneratorTest {
    private final XdsGenerator generator = new XdsGenerator();
    private static final ProxyIdentity CLIENT =
            ProxyIdentity.sidecar("sample", "sleep-1", Map.of("app", "sleep"), Locality.parse("r1/z1"));

    private static final DestinationRuleConfig VERSIONS = Fixtures.rule(
            "sample",
            "helloworld",
            Fixtures.policy(Fixtures.enabled(), Fixtures.outlier(1)),
            List.of(
                    new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null),
                    new DestinationRuleConfig.Subset(
                            "v2",
                            Map.of("version", "v2"),
                            new TrafficPolicy(
                                    new LoadBalancerSettings(LoadBalancerSettings.SimpleLb.RANDOM, null, null, null),
                                    null,
                                    null,
                                    null,
                                    List.of()))),
            Map.of());

    @Test
    void aLoadAssignmentCacheGivesEqualOutputAndKeepsUnchangedAssignmentsAsTheSameInstances() {
        LoadAssignmentCache cache = new LoadAssignmentCache();
        XdsGenerator cached = new XdsGenerator(cache);
        TestMesh mesh = hello().service(Fixtures.service("reviews", "sample", 9080))
                .endpoints(Fixtures.endpoint(
                        "reviews.sample.svc.cluster.local",
                        9080,
                        "10.0.1.1",
                        "r1/z1",
                        Map.of(),
                        io.zonemesh.model.HealthStatus.HEALTHY,
                        1));
        MeshState before = mesh.build();
        XdsResources first = cached.outbound(before, CLIENT);
        assertThat(first).isEqualTo(generator.outbound(before, CLIENT));

        cache.nextGeneration();
        MeshState after = mesh.endpoints(Fixtures.endpoint("10.0.0.4", "r1/z1", Map.of("version", "v1")))
                .build();
        XdsResources second = cached.outbound(after, CLIENT);
        assertThat(second).isEqualTo(generator.outbound(after, CLIENT));
        String hello = "outbound|5000||" + HELLO;
        String reviews = "outbound|9080||reviews.sample.svc.cluster.local";
        assertThat(assignment(second, reviews)).isSameAs(assignment(first, reviews));
        assertThat(assignment(second, hello)).isNotEqualTo(assignment(first, hello));
        assertThat(cache.size()).isEqualTo(second.endpoints().size());
    }

    private static TestMesh hello() {
        return new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .endpoints(
                        Fixtures.endpoint("10.0.0.1", "r1/z1", Map.of("version", "v1")),
                        Fixtures.endpoint("10.0.0.2", "r1/z2", Map.of("version", "v2")),
                        Fixtures.endpoint("10.0.0.3", "r2/z1", Map.of("version", "v1")));
    }

    private static ClusterLoadAssignment assignment(XdsResources r, String cluster) {
        return r.endpoints().stream()
                .filter(c -> c.getClusterName().equals(cluster))
                .findFirst()
                .orElseThrow();
    }

    private static Cluster cluster(XdsResources r, String name) {
        return r.clusters().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static List<String> addresses(LocalityLbEndpoints lle) {
        return lle.getLbEndpointsList().stream()
                .map(e -> e.getEndpoint().getAddress().getSocketAddress().getAddress())
                .toList();
    }

    private static VirtualHost vhost(XdsResources r, String name) {
        return r.routes().get(0).getVirtualHostsList().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void emitsOneClusterPerPortAndSubsetSortedByName() {
        XdsResources r = generator.outbound(hello().rule(VERSIONS).build(), CLIENT);

        // Plain string order: '|' sorts after letters.
        assertThat(r.clusters())
                .extracting(Cluster::getName)
                .containsExactly("outbound|5000|v1|" + HELLO, "outbound|5000|v2|" + HELLO, "outbound|5000||" + HELLO);
        assertThat(r.endpoints())
                .extracting(ClusterLoadAssignment::getClusterName)
                .containsExactlyElementsOf(
                        r.clusters().stream().map(Cluster::getName).toList());
        assertThat(cluster(r, "outbound|5000|v2|" + HELLO).getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
        assertThat(cluster(r, "outbound|5000|v1|" + HELLO).getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    }

    @Test
    void subsetClustersCarryOnlyMatchingEndpointsWithProxyRelativePriorities() {
        XdsResources r = generator.outbound(hello().rule(VERSIONS).build(), CLIENT);

        ClusterLoadAssignment v1 = assignment(r, "outbound|5000|v1|" + HELLO);
        assertThat(v1.getEndpointsList())
                .extracting(XdsGeneratorTest::addresses)
                .containsExactly(List.of("10.0.0.1"), List.of("10.0.0.3"));
        assertThat(v1.getEndpointsList())
                .extracting(LocalityLbEndpoints::getPriority)
                .containsExactly(0, 1);
    }

    @Test
    void withoutOutlierDetectionAllEndpointsShareOnePriorityAndPanicIsOff() {
        XdsResources r = generator.outbound(hello().build(), CLIENT);

        assertThat(assignment(r, "outbound|5000||" + HELLO).getEndpointsList())
                .extracting(LocalityLbEndpoints::getPriority)
                .containsOnly(0);
        Cluster c = cluster(r, "outbound|5000||" + HELLO);
        assertThat(c.hasOutlierDetection()).isFalse();
        assertThat(c.getCommonLbConfig().hasHealthyPanicThreshold()).isTrue();
        assertThat(c.getCommonLbConfig().getHealthyPanicThreshold().getValue()).isZero();
        assertThat(c.getCommonLbConfig().hasLocalityWeightedLbConfig()).isFalse();
    }

    @Test
    void explicitFailoverTurnsOnLocalityWeightedPicking() {
        MeshState defaults = hello().rule(
                        Fixtures.rule("sample", "helloworld", Fixtures.policy(Fixtures.enabled(), Fixtures.outlier(1))))
                .build();
        MeshState failover = hello().rule(Fixtures.rule(
                        "sample", "helloworld", Fixtures.policy(Fixtures.failover("r1", "r2"), Fixtures.outlier(1))))
                .build();

        assertThat(cluster(generator.outbound(defaults, CLIENT), "outbound|5000||" + HELLO)
                        .getCommonLbConfig()
                        .hasLocalityWeightedLbConfig())
                .isFalse();
        assertThat(cluster(generator.outbound(failover, CLIENT), "outbound|5000||" + HELLO)
                        .getCommonLbConfig()
                        .hasLocalityWeightedLbConfig())
                .isTrue();
    }

    @Test
    void unreadyEndpointsAreSentUnhealthyUnlessMinHealthPercentIsSet() {
        TestMesh mesh = new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .endpoints(
                        Fixtures.endpoint("10.0.0.1", "r1/z1"),
                        Fixtures.endpoint(
                                HELLO,
                                5000,
                                "10.0.0.2",
                                "r1/z1",
                                Map.of(),
                                io.zonemesh.model.HealthStatus.UNHEALTHY,
                                1));
        OutlierDetection minHealth = new OutlierDetection(1, null, null, null, null, null, null, 30);

        XdsResources sent = generator.outbound(mesh.build(), CLIENT);
        XdsResources dropped = generator.outbound(
                mesh.rule(Fixtures.rule("sample", "helloworld", Fixtures.policy(Fixtures.enabled(), minHealth)))
                        .build(),
                CLIENT);

        assertThat(assignment(sent, "outbound|5000||" + HELLO).getEndpoints(0).getLbEndpointsList())
                .extracting(e -> e.getHealthStatus())
                .containsExactly(HealthStatus.HEALTHY, HealthStatus.UNHEALTHY);
        assertThat(assignment(dropped, "outbound|5000||" + HELLO)
                        .getEndpoints(0)
                        .getLbEndpointsCount())
                .isEqualTo(1);
        assertThat(cluster(dropped, "outbound|5000||" + HELLO)
                        .getCommonLbConfig()
                        .getHealthyPanicThreshold()
                        .getValue())
                .isEqualTo(30);
    }

    @Test
    void trafficDistributionGivesPrioritiesWithoutAnyDestinationRule() {
        Service s = Fixtures.service("helloworld", "sample", 5000);
        Service preferClose = new Service(
                s.hostname(),
                s.namespace(),
                s.name(),
                s.ports(),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                "PreferClose");
        MeshState state = new TestMesh()
                .service(preferClose)
                .endpoints(Fixtures.endpoint("10.0.0.1", "r1/z2"), Fixtures.endpoint("10.0.0.2", "r1/z1"))
                .build();

        XdsResources r = generator.outbound(state, CLIENT);

        assertThat(assignment(r, "outbound|5000||" + HELLO).getEndpointsList())
                .extracting(e -> addresses(e).get(0) + "@P" + e.getPriority())
                .containsExactly("10.0.0.2@P0", "10.0.0.1@P1");
        assertThat(cluster(r, "outbound|5000||" + HELLO).getCommonLbConfig().hasLocalityWeightedLbConfig())
                .isTrue();
    }

    @Test
    void grpcClientsGetDistinctSubZonesForSplitLocalities() {
        MeshState state = hello().rule(Fixtures.rule(
                        "sample",
                        "helloworld",
                        Fixtures.policy(Fixtures.failoverPriority("version"), Fixtures.outlier(1))))
                .endpoints(Fixtures.endpoint("10.0.0.4", "r1/z1", Map.of("version", "v2")))
                .build();
        ProxyIdentity v1 = ProxyIdentity.sidecar("sample", "c", Map.of("version", "v1"), Locality.parse("r1/z1"));

        ClusterLoadAssignment envoy = assignment(generator.outbound(state, v1), "outbound|5000||" + HELLO);
        ClusterLoadAssignment grpc =
                assignment(generator.outbound(state, v1.withoutOverprovisioning(true)), "outbound|5000||" + HELLO);

        assertThat(envoy.getEndpointsList())
                .extracting(XdsGeneratorTest::localityAndPriority)
                .containsExactly("r1/z1/@P0", "r2/z1/@P0", "r1/z1/@P1", "r1/z2/@P1");
        assertThat(grpc.getEndpointsList())
                .extracting(XdsGeneratorTest::localityAndPriority)
                .containsExactly("r1/z1/~p0@P0", "r2/z1/@P0", "r1/z1/~p1@P1", "r1/z2/@P1");
    }

    @Test
    void dnsServicesBecomeStrictDnsClustersForEnvoyAndAreLeftOutForGrpc() {
        Service external = new Service(
                "mydb.example.com",
                "default",
                "external-db",
                List.of(new ServicePort("http", 80, 0, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.SERVICE_ENTRY_EXTERNAL,
                Service.Resolution.DNS,
                List.of(),
                null);
        MeshState state = new TestMesh()
                .service(external)
                .endpoints(Fixtures.endpoint(
                        "mydb.example.com",
                        80,
                        "localhost",
                        "us-east1",
                        Map.of(),
                        io.zonemesh.model.HealthStatus.HEALTHY,
                        1))
                .build();
        ProxyIdentity caller = ProxyIdentity.sidecar("default", "sleep", Map.of(), Locality.parse("us-east1"));

        XdsResources envoy = generator.outbound(state, caller);
        XdsResources grpc = generator.outbound(state, caller.withoutOverprovisioning(true));

        Cluster c = cluster(envoy, "outbound|80||mydb.example.com");
        assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(c.getLoadAssignment()
                        .getEndpoints(0)
                        .getLbEndpoints(0)
                        .getEndpoint()
                        .getAddress()
                        .getSocketAddress()
                        .getAddress())
                .isEqualTo("localhost");
        assertThat(envoy.endpoints()).isEmpty();
        assertThat(grpc.clusters()).isEmpty();
        assertThat(vhost(envoy, "mydb.example.com:80").getDomainsList())
                .containsExactly("mydb.example.com:80", "mydb.example.com");
    }

    @Test
    void virtualHostsUseIstioDomainFormsAndSkipNonHttpPorts() {
        Service multi = new Service(
                "reviews.shop.svc.cluster.local",
                "shop",
                "reviews",
                List.of(
                        new ServicePort("http", 9080, 9080, Protocol.HTTP),
                        new ServicePort("grpc", 9090, 9090, Protocol.GRPC),
                        new ServicePort("mysql", 3306, 3306, Protocol.TCP),
                        new ServicePort("other", 7000, 7000, Protocol.UNKNOWN)),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);
        MeshState state = new TestMesh().service(multi).build();

        XdsResources fromShop = generator.outbound(state, ProxyIdentity.sidecar("shop", "a", Map.of(), Locality.EMPTY));
        XdsResources fromWeb = generator.outbound(state, ProxyIdentity.sidecar("web", "b", Map.of(), Locality.EMPTY));

        assertThat(fromShop.routes().get(0).getVirtualHostsList())
                .extracting(VirtualHost::getName)
                .containsExactly(
                        "reviews.shop.svc.cluster.local:9080",
                        "reviews.shop.svc.cluster.local:9090",
                        "reviews.shop.svc.cluster.local:7000");
        assertThat(vhost(fromShop, "reviews.shop.svc.cluster.local:9080").getDomainsList())
                .containsExactly(
                        "reviews.shop.svc.cluster.local:9080",
                        "reviews.shop.svc:9080",
                        "reviews.shop:9080",
                        "reviews:9080");
        assertThat(vhost(fromWeb, "reviews.shop.svc.cluster.local:9080").getDomainsList())
                .containsExactly("reviews.shop.svc.cluster.local:9080", "reviews.shop.svc:9080", "reviews.shop:9080");
        assertThat(fromShop.clusters()).hasSize(4);
    }

    @Test
    void aPortListedTwiceYieldsOneClusterAndOneVirtualHost() {
        Service twice = new Service(
                HELLO,
                "sample",
                "helloworld",
                List.of(
                        new ServicePort("http", 5000, 5000, Protocol.HTTP),
                        new ServicePort("http-again", 5000, 5001, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                null);

        XdsResources r = generator.outbound(new TestMesh().service(twice).build(), CLIENT);

        assertThat(r.clusters()).extracting(Cluster::getName).containsExactly("outbound|5000||" + HELLO);
        assertThat(r.routes().get(0).getVirtualHostsList()).hasSize(1);
    }

    @Test
    void rendersUriAndWeightedVirtualServiceRoutes() {
        VirtualServiceConfig vs = new VirtualServiceConfig(
                Fixtures.meta("VirtualService", "sample", "hello", Map.of()),
                List.of("helloworld"),
                List.of(),
                List.of(),
                List.of(
                        httpRoute(List.of(uri(StringMatch.Kind.PREFIX, "/v2")), dest("v2", 100)),
                        httpRoute(List.of(), dest("v1", 90), dest("v2", 10))));
        XdsResources r =
                generator.outbound(hello().rule(VERSIONS).virtualService(vs).build(), CLIENT);

        List<Route> routes = vhost(r, HELLO + ":5000").getRoutesList();

        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).getMatch().getPrefix()).isEqualTo("/v2");
        assertThat(routes.get(0).getRoute().getCluster()).isEqualTo("outbound|5000|v2|" + HELLO);
        assertThat(routes.get(1).getMatch().getPrefix()).isEqualTo("/");
        assertThat(routes.get(1).getRoute().getWeightedClusters().getClustersList())
                .extracting(c -> c.getName() + "=" + c.getWeight().getValue())
                .containsExactly("outbound|5000|v1|" + HELLO + "=90", "outbound|5000|v2|" + HELLO + "=10");
    }

    @Test
    void headerMatchRoutesBeforeTheCatchAll() {
        HttpMatch header = new HttpMatch(
                null,
                null,
                null,
                null,
                null,
                Map.of("user", new StringMatch(StringMatch.Kind.EXACT, "alice")),
                Map.of(),
                null,
                Map.of(),
                List.of(),
                null,
                false);
        VirtualServiceConfig vs = new VirtualServiceConfig(
                Fixtures.meta("VirtualService", "sample", "hello", Map.of()),
                List.of(HELLO),
                List.of("mesh"),
                List.of(),
                List.of(httpRoute(List.of(header), dest("v1", 100)), httpRoute(List.of(), dest("v2", 100))));
        XdsResources r =
                generator.outbound(hello().rule(VERSIONS).virtualService(vs).build(), CLIENT);

        List<Route> routes = vhost(r, HELLO + ":5000").getRoutesList();

        assertThat(routes).hasSize(2);
        assertThat(routes.get(0).getMatch().getHeaders(0).getName()).isEqualTo("user");
        assertThat(routes.get(0).getMatch().getHeaders(0).getStringMatch().getExact())
                .isEqualTo("alice");
        assertThat(routes.get(0).getRoute().getCluster()).isEqualTo("outbound|5000|v1|" + HELLO);
        assertThat(routes.get(1).getRoute().getCluster()).isEqualTo("outbound|5000|v2|" + HELLO);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void consistentHashAddsAHashPolicyToTheRoute() {
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
        XdsResources r = generator.outbound(
                hello().rule(Fixtures.rule("sample", HELLO, hash)).build(), CLIENT);

        Route route = vhost(r, HELLO + ":5000").getRoutes(0);

        assertThat(route.getRoute().getHashPolicy(0).getHeader().getHeaderName())
                .isEqualTo("x-user");
        assertThat(cluster(r, "outbound|5000||" + HELLO).getLbPolicy()).isEqualTo(Cluster.LbPolicy.RING_HASH);
    }

    @Test
    void inboundResourcesFollowTheApplicationPorts() {
        ProxyIdentity proxy = CLIENT.withAppPorts(Map.of(9080, "127.0.0.1:19080", 8080, "localhost:18080"));

        XdsResources r = generator.inbound(hello().build(), proxy);

        assertThat(r.clusters()).extracting(Cluster::getName).containsExactly("inbound|8080||", "inbound|9080||");
        assertThat(cluster(r, "inbound|9080||").getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(cluster(r, "inbound|8080||").getType()).isEqualTo(Cluster.DiscoveryType.STRICT_DNS);
        assertThat(cluster(r, "inbound|9080||")
                        .getLoadAssignment()
                        .getEndpoints(0)
                        .getLbEndpoints(0)
                        .getEndpoint()
                        .getAddress()
                        .getSocketAddress()
                        .getPortValue())
                .isEqualTo(19080);
        assertThat(r.listeners()).extracting(l -> l.getName()).containsExactly("virtualInbound");
        assertThat(generator.inbound(
                        hello().build(),
                        new ProxyIdentity(
                                "sample",
                                "gw",
                                "gw",
                                Map.of(),
                                Locality.EMPTY,
                                ProxyIdentity.ProxyType.ROUTER,
                                false,
                                Map.of(80, "127.0.0.1:8080"),
                                "",
                                "",
                                "")))
                .isEqualTo(XdsResources.EMPTY);
    }

    @Test
    void generateIsOutboundPlusInbound() {
        MeshState state = hello().rule(VERSIONS).build();
        ProxyIdentity proxy = CLIENT.withAppPorts(Map.of(80, "127.0.0.1:80"));

        XdsResources all = generator.generate(state, proxy);

        assertThat(all).isEqualTo(generator.outbound(state, proxy).plus(generator.inbound(state, proxy)));
        assertThat(all.listeners()).extracting(l -> l.getName()).containsExactly("virtualInbound", "virtualOutbound");
        assertThat(all).isEqualTo(generator.generate(state, proxy));
    }

    private static String localityAndPriority(LocalityLbEndpoints e) {
        return e.getLocality().getRegion() + "/" + e.getLocality().getZone() + "/"
                + e.getLocality().getSubZone() + "@P" + e.getPriority();
    }

    private static HttpMatch uri(StringMatch.Kind kind, String value) {
        return new HttpMatch(
                null,
                new StringMatch(kind, value),
                null,
                null,
                null,
                Map.of(),
                Map.of(),
                null,
                Map.of(),
                List.of(),
                null,
                false);
    }

    private static RouteDestination dest(String subset, int weight) {
        return new RouteDestination(new VirtualServiceConfig.Destination("helloworld", subset, null), weight, null);
    }

    private static HttpRoute httpRoute(List<HttpMatch> match, RouteDestination... route) {
        return new HttpRoute(null, match, List.of(route), null, null, null, null, null, null, null, null);
    }
}

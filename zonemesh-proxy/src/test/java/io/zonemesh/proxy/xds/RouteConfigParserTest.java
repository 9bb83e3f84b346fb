package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.zonemesh.proxy.config.ClusterSpecifier;
import io.zonemesh.proxy.config.RouteRule;
import io.zonemesh.proxy.config.RouteTable;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteConfigParserTest {

    private static RouteTable parse(RouteConfiguration config, Set<String> clusters) {
        ValidationErrors errors = new ValidationErrors();
        RouteTable table = RouteConfigParser.parse(config, clusters, errors, "");
        assertThat(errors.messages()).isEmpty();
        return table;
    }

    private static String errors(RouteConfiguration config, Set<String> clusters) {
        ValidationErrors errors = new ValidationErrors();
        assertThat(RouteConfigParser.parse(
                        config, clusters, errors.forResource("RouteConfiguration", config.getName()), ""))
                .isNull();
        return errors.joined();
    }

    private static VirtualHost hostWith(Route route) {
        return VirtualHost.newBuilder()
                .setName("h")
                .addDomains("*")
                .addRoutes(route)
                .build();
    }

    @Test
    void httpProxyRoutesShapedAsTheGeneratorEmitsThem() {
        RouteTable table = parse(
                routeConfig(
                        "http_proxy",
                        virtualHost(
                                "helloworld.sample.svc.cluster.local:5000",
                                List.of(
                                        "helloworld.sample.svc.cluster.local:5000",
                                        "helloworld.sample.svc:5000",
                                        "helloworld.sample:5000"),
                                "outbound|5000||helloworld.sample.svc.cluster.local")),
                Set.of());

        RouteRule route = table.findRoute("helloworld.sample:5000", "/hello", new DefaultHttpHeaders());
        assertThat(route.action().clusters())
                .isEqualTo(new ClusterSpecifier.Single("outbound|5000||helloworld.sample.svc.cluster.local"));
        assertThat(route.action().timeout()).isZero();
        assertThat(route.name()).isEqualTo("default");
    }

    @Test
    void unsetRouteTimeoutIsEnvoysFifteenSeconds() {
        RouteTable table = parse(
                routeConfig(
                        "r",
                        hostWith(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setCluster("c"))
                                .build())),
                Set.of());

        assertThat(table.findRoute("x", "/", new DefaultHttpHeaders()).action().timeout())
                .isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void weightedClustersHeadersAndRegexAreParsed() {
        Route route = Route.newBuilder()
                .setMatch(RouteMatch.newBuilder()
                        .setSafeRegex(RegexMatcher.newBuilder().setRegex("/items/[0-9]+"))
                        .addHeaders(HeaderMatcher.newBuilder()
                                .setName("end-user")
                                .setStringMatch(StringMatcher.newBuilder().setExact("jason"))))
                .setRoute(RouteAction.newBuilder()
                        .setWeightedClusters(WeightedCluster.newBuilder()
                                .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                        .setName("v1")
                                        .setWeight(UInt32Value.of(90)))
                                .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                        .setName("v2")
                                        .setWeight(UInt32Value.of(10)))))
                .build();
        RouteTable table = parse(routeConfig("r", hostWith(route)), Set.of());

        DefaultHttpHeaders jason = new DefaultHttpHeaders();
        jason.add("End-User", "jason");
        assertThat(table.findRoute("x", "/items/42", jason).action().clusters().clusterNames())
                .containsExactly("v1", "v2");
        assertThat(table.findRoute("x", "/items/42", new DefaultHttpHeaders())).isNull();
        assertThat(table.findRoute("x", "/items/abc", jason)).isNull();
    }

    @Test
    void collectsEveryProblemOfTheConfiguration() {
        RouteConfiguration config = RouteConfiguration.newBuilder()
                .setName("bad")
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName("a")
                        .addDomains("x.com")
                        .addDomains("a*b")
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder()
                                        .setSafeRegex(RegexMatcher.newBuilder().setRegex("(")))
                                .setRoute(RouteAction.newBuilder().setCluster("c")))
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder()
                                        .setPrefix("/")
                                        .addQueryParameters(QueryParameterMatcher.newBuilder()
                                                .setName("q")))
                                .setDirectResponse(
                                        DirectResponseAction.newBuilder().setStatus(100))))
                .addVirtualHosts(VirtualHost.newBuilder()
                        .setName("b")
                        .addDomains("X.com")
                        .addRoutes(Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()))))
                .build();

        String errors = errors(config, Set.of());

        assertThat(errors.split("\n")).hasSize(6);
        assertThat(errors)
                .contains("RouteConfiguration bad: virtual_hosts[0].domains[1]: \"a*b\"")
                .contains("virtual_hosts[0].routes[0].match.safe_regex.regex: \"(\" (expected: a valid regular "
                        + "expression")
                .contains("virtual_hosts[0].routes[1].match.query_parameters[0]: QUERYPARAMETERMATCHSPECIFIER_NOT_SET "
                        + "(expected: string_match or present_match)")
                .contains("virtual_hosts[0].routes[1].direct_response.status: 100 (expected: 200..599)")
                .contains("virtual_hosts[1].domains[0]: \"X.com\" (expected: unique across the virtual hosts)")
                .contains("virtual_hosts[1].routes[0].route.weighted_clusters.clusters: 0 clusters, total weight 0");
    }

    @Test
    void validateClustersChecksRouteTargetsAgainstKnownClusters() {
        RouteConfiguration config = routeConfig("r", virtualHost("h", List.of("*"), "missing")).toBuilder()
                .setValidateClusters(BoolValue.of(true))
                .build();

        assertThat(errors(config, Set.of("present")))
                .contains("virtual_hosts[0].routes[0].route: \"missing\" (expected: a known cluster");
        assertThat(parse(config, Set.of("missing"))).isNotNull();
    }
}

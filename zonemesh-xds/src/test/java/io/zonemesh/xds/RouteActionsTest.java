package io.zonemesh.xds;

import static io.zonemesh.xds.Fixtures.HELLO;
import static io.zonemesh.xds.Rules.match;
import static io.zonemesh.xds.Rules.prefix;
import static io.zonemesh.xds.Rules.rule;
import static io.zonemesh.xds.Rules.to;
import static io.zonemesh.xds.Rules.vs;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.model.istio.VirtualServiceConfig.Destination;
import io.zonemesh.model.istio.VirtualServiceConfig.Fault;
import io.zonemesh.model.istio.VirtualServiceConfig.HeaderOperations;
import io.zonemesh.model.istio.VirtualServiceConfig.Headers;
import io.zonemesh.model.istio.VirtualServiceConfig.Redirect;
import io.zonemesh.model.istio.VirtualServiceConfig.Retries;
import io.zonemesh.model.istio.VirtualServiceConfig.Rewrite;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a VirtualService rule does to a matched request: the route's action and per-route config. */
class RouteActionsTest {
    private static final ProxyIdentity CLIENT =
            ProxyIdentity.sidecar("sample", "sleep-1", Map.of(), Locality.parse("r1/z1"));
    private static final DestinationRuleConfig SUBSETS = Fixtures.rule(
            "sample",
            "helloworld",
            null,
            List.of(
                    new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null),
                    new DestinationRuleConfig.Subset("v2", Map.of("version", "v2"), null)),
            Map.of());
    private final XdsGenerator generator = new XdsGenerator();

    private Route only(Rules.Rule rule) {
        XdsResources r = render(rule);
        return r.routes().get(0).getVirtualHosts(0).getRoutes(0);
    }

    private XdsResources render(Rules.Rule... rules) {
        VirtualServiceConfig.HttpRoute[] built = new VirtualServiceConfig.HttpRoute[rules.length];
        for (int i = 0; i < rules.length; i++) {
            built[i] = rules[i].build();
        }
        VirtualServiceConfig vs = vs("sample", "hello", List.of("helloworld"), List.of(), built);
        return generator.outbound(
                new TestMesh()
                        .service(Fixtures.service("helloworld", "sample", 5000))
                        .rule(SUBSETS)
                        .virtualService(vs)
                        .build(),
                CLIENT);
    }

    @Test
    void timeoutIsTheRulesOrZeroForNone() {
        assertThat(only(rule(to("helloworld", "v1", 100)).timeout(Duration.ofSeconds(10)))
                        .getRoute()
                        .getTimeout()
                        .getSeconds())
                .isEqualTo(10);
        RouteAction none = only(rule(to("helloworld", "v1", 100))).getRoute();
        assertThat(none.hasTimeout()).isTrue();
        assertThat(none.getTimeout().getSeconds()).isZero();
        assertThat(none.hasMaxStreamDuration()).isFalse();
    }

    @Test
    void virtualServiceRoutesGetIstiosDefaultRetriesUnlessTheRuleSetsThem() {
        RouteAction defaults = only(rule(to("helloworld", "v1", 100))).getRoute();
        RouteAction canary = only(rule(to("helloworld", "v1", 90), to("helloworld", "v2", 10))
                        .retries(new Retries(3, Duration.ofSeconds(2), null, null, null, null)))
                .getRoute();
        RouteAction off = only(rule(to("helloworld", "v1", 100)).retries(new Retries(0, null, null, null, null, null)))
                .getRoute();

        assertThat(defaults.getRetryPolicy().getNumRetries().getValue()).isEqualTo(2);
        assertThat(canary.getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
        assertThat(canary.getRetryPolicy().getPerTryTimeout().getSeconds()).isEqualTo(2);
        assertThat(off.hasRetryPolicy()).isFalse();
    }

    @Test
    void faultGoesToTheRoutesFaultFilterConfigAndTheListenerRunsTheFaultFilterBeforeTheRouter() throws Exception {
        Route route = only(rule(to("helloworld", "v1", 100)).fault(new Fault(null, new Fault.Abort(400, 10))));
        Listener outbound =
                render(rule(to("helloworld", "v1", 100))).listeners().get(0);

        HTTPFault fault =
                route.getTypedPerFilterConfigOrThrow("envoy.filters.http.fault").unpack(HTTPFault.class);
        assertThat(fault.getAbort().getHttpStatus()).isEqualTo(400);
        assertThat(fault.getAbort().getPercentage().getNumerator()).isEqualTo(100_000);
        HttpConnectionManager hcm =
                outbound.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        assertThat(hcm.getHttpFiltersList())
                .extracting(HttpFilter::getName)
                .containsExactly("envoy.filters.http.fault", "envoy.filters.http.router");
    }

    @Test
    void rewritesBecomePrefixOrRegexRewriteAndAHostRewrite() {
        RouteAction prefixed = only(rule(to("helloworld", "v1", 100))
                        .rewrite(new Rewrite("/v2/", "api.internal", null, null)))
                .getRoute();
        RouteAction regex = only(rule(to("helloworld", "v1", 100))
                        .rewrite(new Rewrite(null, null, "^/old/(.*)$", "/new/\\1")))
                .getRoute();

        assertThat(prefixed.getPrefixRewrite()).isEqualTo("/v2/");
        assertThat(prefixed.getHostRewriteLiteral()).isEqualTo("api.internal");
        assertThat(regex.getRegexRewrite().getPattern().getRegex()).isEqualTo("^/old/(.*)$");
        assertThat(regex.getRegexRewrite().getSubstitution()).isEqualTo("/new/\\1");
        assertThat(regex.hasHostRewriteLiteral()).isFalse();
    }

    @Test
    void ruleHeaderEditsGoOnTheRouteAndDestinationOnesOnTheirClusterWeight() {
        Headers rule = new Headers(
                new HeaderOperations(Map.of("x-rule", "1"), Map.of(), List.of("x-secret")),
                new HeaderOperations(Map.of(), Map.of("x-route", "hello"), List.of()));
        Headers v2 = new Headers(
                new HeaderOperations(Map.of(), Map.of("x-version", "v2"), List.of()), HeaderOperations.NONE);
        Route route = only(rule(to("helloworld", "v1", 50), to("helloworld", "v2", null, 50, v2))
                .headers(rule));

        assertThat(route.getRequestHeadersToAddList())
                .extracting(h -> h.getHeader().getKey())
                .containsExactly("x-rule");
        assertThat(route.getRequestHeadersToRemoveList()).containsExactly("x-secret");
        assertThat(route.getResponseHeadersToAddList())
                .extracting(h -> h.getHeader().getKey())
                .containsExactly("x-route");
        var clusters = route.getRoute().getWeightedClusters().getClustersList();
        assertThat(clusters.get(0).getRequestHeadersToAddCount()).isZero();
        assertThat(clusters.get(1).getRequestHeadersToAddList())
                .extracting(HeaderValueOption::getAppendAction)
                .containsExactly(HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD);
    }

    @Test
    void aSingleDestinationsHeaderEditsJoinTheRoutes() {
        Headers own = new Headers(
                new HeaderOperations(Map.of(":authority", "v1.internal"), Map.of("x-v", "1"), List.of()),
                HeaderOperations.NONE);
        Route route = only(rule(to("helloworld", "v1", null, 100, own)));

        assertThat(route.getRequestHeadersToAddList())
                .extracting(h -> h.getHeader().getKey())
                .containsExactly("x-v");
        assertThat(route.getRoute().getHostRewriteLiteral()).isEqualTo("v1.internal");
    }

    @Test
    void mirrorSendsAPercentageOrEverythingAndZeroMeansNone() {
        Destination shadow = new Destination("helloworld", "v2", null);

        RouteAction.RequestMirrorPolicy some = only(rule(to("helloworld", "v1", 100))
                        .mirror(shadow, 12.5))
                .getRoute()
                .getRequestMirrorPolicies(0);
        RouteAction.RequestMirrorPolicy all = only(rule(to("helloworld", "v1", 100))
                        .mirror(shadow, null))
                .getRoute()
                .getRequestMirrorPolicies(0);
        RouteAction none =
                only(rule(to("helloworld", "v1", 100)).mirror(shadow, 0.0)).getRoute();

        assertThat(some.getCluster()).isEqualTo("outbound|5000|v2|" + HELLO);
        assertThat(some.getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(125_000);
        assertThat(some.getRuntimeFraction().getDefaultValue().getDenominator())
                .isEqualTo(FractionalPercent.DenominatorType.MILLION);
        assertThat(some.getTraceSampled().getValue()).isFalse();
        assertThat(all.getRuntimeFraction().getDefaultValue().getNumerator()).isEqualTo(100);
        assertThat(all.getRuntimeFraction().getDefaultValue().getDenominator())
                .isEqualTo(FractionalPercent.DenominatorType.HUNDRED);
        assertThat(none.getRequestMirrorPoliciesCount()).isZero();
    }

    @Test
    void aMirrorToAMissingSubsetIsLeftOutButTheRouteStays() {
        XdsResources r =
                render(rule(to("helloworld", "v1", 100)).mirror(new Destination("helloworld", "v9", null), null));

        Route route = r.routes().get(0).getVirtualHosts(0).getRoutes(0);
        assertThat(route.getRoute().getCluster()).isEqualTo("outbound|5000|v1|" + HELLO);
        assertThat(route.getRoute().getRequestMirrorPoliciesCount()).isZero();
        assertThat(r.warnings())
                .containsExactly("VirtualService/sample/hello http[0]: mirror left out: subset v9 of " + HELLO
                        + " is not defined by any DestinationRule");
    }

    @Test
    void redirectRulesAnswerWithARedirectAndUnsupportedCodesAreReported() {
        Route moved =
                only(rule().when(match().uri(prefix("/old"))).redirect(new Redirect("/new", null, null, null, 308)));
        XdsResources bad = render(
                rule().when(match().uri(prefix("/old"))).redirect(new Redirect("/new", null, null, null, 305)),
                rule(to("helloworld", "v1", 100)));

        assertThat(moved.getRedirect().getPathRedirect()).isEqualTo("/new");
        assertThat(moved.getRedirect().getResponseCode())
                .isEqualTo(RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT);
        assertThat(moved.hasRoute()).isFalse();
        assertThat(bad.routes().get(0).getVirtualHosts(0).getRoutesCount()).isEqualTo(1);
        assertThat(bad.warnings())
                .containsExactly("VirtualService/sample/hello http[0] match[0]: route left out: "
                        + "redirect code 305 (expected: 301, 302, 303, 307 or 308)");
    }
}

package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.EchoServer.Behaviour;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.ResourceType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Route matches and actions as the control plane renders VirtualServices: query and pseudo-header
 * matches, redirects, direct responses, rewrites, header edits and mirrors, on real sockets.
 */
@ExtendWith(NettyLeakCheck.class)
class RouteActionsEndToEndTest {
    private static final Duration WAIT = MeshFixture.WAIT;
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String SHADOW = "outbound|5000||shadow.sample.svc.cluster.local";
    private static final String AUTHORITY = "helloworld.sample:5000";

    private MeshFixture mesh;
    private EchoServer upstream;
    private EchoServer shadow;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("RouteActionsEndToEndTest", 1);
        upstream = mesh.server("up");
        shadow = mesh.server("shadow");
    }

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private void start(Route... routes) {
        start(routeConfig(
                "http_proxy",
                VirtualHost.newBuilder()
                        .setName("hello")
                        .addDomains(AUTHORITY)
                        .addAllRoutes(List.of(routes))
                        .build()));
    }

    private void start(RouteConfiguration routes) {
        mesh.ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(HELLO).setConnectTimeout(millis(1000)).build(),
                edsCluster(SHADOW).setConnectTimeout(millis(1000)).build());
        mesh.ads.set(
                ResourceType.ENDPOINT,
                "1",
                cla(HELLO, locality("r", "z", 0, upstream.address())),
                cla(SHADOW, locality("r", "z", 0, shadow.address())));
        mesh.ads.set(ResourceType.LISTENER, "1", outboundListener());
        mesh.ads.set(ResourceType.ROUTE, "1", routes);
        proxy = mesh.start();
    }

    private static Route.Builder prefix(String prefix) {
        return Route.newBuilder()
                .setName(prefix)
                .setMatch(RouteMatch.newBuilder().setPrefix(prefix));
    }

    private static RouteAction.Builder toHello() {
        return RouteAction.newBuilder().setCluster(HELLO).setTimeout(millis(5000));
    }

    private static Route direct(Route.Builder route, int status, String body) {
        return route.setDirectResponse(DirectResponseAction.newBuilder()
                        .setStatus(status)
                        .setBody(DataSource.newBuilder().setInlineString(body)))
                .build();
    }

    private Response send(String method, String path, String headers) {
        return RawHttpClient.exchange(
                proxy.outboundPort(),
                method + " http://" + AUTHORITY + path + " HTTP/1.1\r\n" + "Host: " + AUTHORITY + "\r\n" + headers
                        + "Connection: close\r\n\r\n");
    }

    private Response get(String path) {
        return send("GET", path, "");
    }

    @Test
    void queryParameterAndPseudoHeaderMatchesSelectTheirRoutes() {
        start(
                direct(
                        Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder()
                                        .setPrefix("/")
                                        .addQueryParameters(QueryParameterMatcher.newBuilder()
                                                .setName("version")
                                                .setStringMatch(StringMatcher.newBuilder()
                                                        .setExact("v2")))),
                        200,
                        "v2 by query"),
                direct(
                        Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder()
                                        .setPrefix("/")
                                        .addHeaders(HeaderMatcher.newBuilder()
                                                .setName(":method")
                                                .setStringMatch(StringMatcher.newBuilder()
                                                        .setExact("POST")))),
                        200,
                        "by method"),
                direct(
                        Route.newBuilder()
                                .setMatch(RouteMatch.newBuilder()
                                        .setPrefix("/")
                                        .addHeaders(HeaderMatcher.newBuilder()
                                                .setName(":authority")
                                                .setStringMatch(StringMatcher.newBuilder()
                                                        .setPrefix("helloworld.")))),
                        200,
                        "by authority"));

        assertThat(get("/a?version=v2&x=1").body()).isEqualTo("v2 by query");
        assertThat(get("/a?version=v1").body()).isEqualTo("by authority");
        assertThat(send("POST", "/a", "Content-Length: 0\r\n").body()).isEqualTo("by method");
    }

    @Test
    void redirectsBuildTheLocationFromTheRequest() {
        start(
                prefix("/old")
                        .setRedirect(RedirectAction.newBuilder()
                                .setHostRedirect("new.example")
                                .setPathRedirect("/new")
                                .setResponseCode(RedirectAction.RedirectResponseCode.FOUND))
                        .build(),
                prefix("/secure")
                        .setRedirect(RedirectAction.newBuilder()
                                .setSchemeRedirect("https")
                                .setPortRedirect(8443))
                        .build(),
                prefix("/v1")
                        .setRedirect(RedirectAction.newBuilder()
                                .setPrefixRewrite("/v2")
                                .setStripQuery(true))
                        .build());

        Response moved = get("/old/page?x=1");
        assertThat(moved.status()).isEqualTo(302);
        assertThat(moved.header("location")).isEqualTo("http://new.example/new?x=1");
        assertThat(get("/secure/a").header("location")).isEqualTo("https://helloworld.sample:8443/secure/a");
        Response rewritten = get("/v1/items?y=2");
        assertThat(rewritten.status()).isEqualTo(301);
        assertThat(rewritten.header("location")).isEqualTo("http://helloworld.sample:5000/v2/items");
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void requireTlsRedirectsPlainRequestsAndGatewayTablesIgnoreThePort() {
        start(routeConfig(
                        "http_proxy",
                        VirtualHost.newBuilder()
                                .setName("secure")
                                .addDomains("secure.example")
                                .setRequireTls(VirtualHost.TlsRequirementType.ALL)
                                .build(),
                        VirtualHost.newBuilder()
                                .setName("hello")
                                .addDomains("helloworld.sample")
                                .addRoutes(direct(prefix("/"), 200, "port ignored"))
                                .build())
                .toBuilder()
                .setIgnorePortInHostMatching(true)
                .build());

        Response redirect = RawHttpClient.exchange(
                proxy.outboundPort(),
                "GET /cart?id=1 HTTP/1.1\r\n" + "Host: secure.example:8080\r\nConnection: close\r\n\r\n");

        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("location")).isEqualTo("https://secure.example:8080/cart?id=1");
        assertThat(get("/").body()).isEqualTo("port ignored");
    }

    @Test
    void directResponseAnswersWithItsStatusAndBody() {
        start(direct(prefix("/"), 418, "teapot"));

        Response response = get("/");

        assertThat(response.status()).isEqualTo(418);
        assertThat(response.body()).isEqualTo("teapot");
    }

    @Test
    void prefixAndRegexRewritesChangeThePathSentUpstream() {
        start(
                prefix("/api/").setRoute(toHello().setPrefixRewrite("/")).build(),
                prefix("/users/")
                        .setRoute(toHello()
                                .setRegexRewrite(RegexMatchAndSubstitute.newBuilder()
                                        .setPattern(RegexMatcher.newBuilder().setRegex("^/users/([^/]+)/profile$"))
                                        .setSubstitution("/profiles/\\1")))
                        .build());

        assertThat(get("/api/items?q=1").body()).isEqualTo("up GET /items?q=1");
        assertThat(get("/users/ann/profile?full=1").body()).isEqualTo("up GET /profiles/ann?full=1");
    }

    @Test
    void headerEditsApplyToRequestAndResponseAndTheWeightedEntryBeforeTheRoute() {
        start(prefix("/")
                .setRoute(RouteAction.newBuilder()
                        .setTimeout(millis(5000))
                        .setWeightedClusters(WeightedCluster.newBuilder()
                                .addClusters(WeightedCluster.ClusterWeight.newBuilder()
                                        .setName(HELLO)
                                        .setWeight(UInt32Value.of(100))
                                        .addRequestHeadersToAdd(option(
                                                "x-entry",
                                                "entry",
                                                HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
                                        .addRequestHeadersToAdd(option(
                                                "x-both",
                                                "entry",
                                                HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)))))
                .addRequestHeadersToAdd(
                        option("x-both", "route", HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
                .addRequestHeadersToAdd(
                        option("x-append", "added", HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD))
                .addRequestHeadersToAdd(
                        option("x-absent", "ignored", HeaderValueOption.HeaderAppendAction.ADD_IF_ABSENT))
                .addRequestHeadersToRemove("x-secret")
                .addResponseHeadersToAdd(option(
                        "x-served-via", "zonemesh", HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD))
                .addResponseHeadersToRemove("x-echo-server")
                .build());

        Response response = send("GET", "/h", "x-secret: s\r\nx-append: sent\r\nx-absent: kept\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-served-via")).isEqualTo("zonemesh");
        assertThat(response.header("x-echo-server")).isNull();
        var seen = upstream.requestHeaders().get(0);
        assertThat(seen.get("x-entry")).isEqualTo("entry");
        assertThat(seen.get("x-both")).isEqualTo("route");
        assertThat(seen.getAll("x-append")).containsExactly("sent", "added");
        assertThat(seen.get("x-absent")).isEqualTo("kept");
        assertThat(seen.contains("x-secret")).isFalse();
    }

    private static HeaderValueOption option(String name, String value, HeaderValueOption.HeaderAppendAction action) {
        return HeaderValueOption.newBuilder()
                .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
                .setAppendAction(action)
                .build();
    }

    @Test
    void mirrorSendsACopyWithAShadowHostAndNeverDelaysTheResponse() {
        start(prefix("/")
                .setRoute(toHello()
                        .addRequestMirrorPolicies(RouteAction.RequestMirrorPolicy.newBuilder()
                                .setCluster(SHADOW)
                                .setRuntimeFraction(RuntimeFractionalPercent.newBuilder()
                                        .setDefaultValue(FractionalPercent.newBuilder()
                                                .setNumerator(100)
                                                .setDenominator(FractionalPercent.DenominatorType.HUNDRED)))))
                .build());

        assertThat(get("/m").body()).isEqualTo("up GET /m");
        await().atMost(WAIT).until(() -> shadow.requests() == 1);
        assertThat(shadow.hosts()).containsExactly("helloworld.sample-shadow:5000");

        shadow.behaviour(Behaviour.SILENT);
        for (int i = 0; i < 3; i++) {
            assertThat(get("/m" + i).status()).isEqualTo(200);
        }
        assertThat(upstream.requests()).isEqualTo(4);
    }
}

package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.ads;
import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.listener;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.router;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.testing.EchoServer;
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

/** The HCM's fault filter with per-route {@code HTTPFault}s, as Istio renders VirtualService faults. */
@ExtendWith(NettyLeakCheck.class)
class FaultInjectionEndToEndTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String AUTHORITY = "helloworld.sample:5000";

    private MeshFixture mesh;
    private EchoServer upstream;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("FaultInjectionEndToEndTest", 1);
        upstream = mesh.server("up");
    }

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private static HttpFilter faultFilter() {
        return HttpFilter.newBuilder()
                .setName("envoy.filters.http.fault")
                .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance()))
                .build();
    }

    private static FractionalPercent percent(int numerator, FractionalPercent.DenominatorType denominator) {
        return FractionalPercent.newBuilder()
                .setNumerator(numerator)
                .setDenominator(denominator)
                .build();
    }

    private static Route route(String prefix, HTTPFault fault) {
        Route.Builder route = Route.newBuilder()
                .setName(prefix)
                .setMatch(RouteMatch.newBuilder().setPrefix(prefix))
                .setRoute(RouteAction.newBuilder().setCluster(HELLO).setTimeout(millis(5000)));
        if (fault != null) {
            route.putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault));
        }
        return route.build();
    }

    private void start(boolean withFaultFilter, Route... routes) {
        HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("outbound")
                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("http_proxy"));
        if (withFaultFilter) {
            hcm.addHttpFilters(faultFilter());
        }
        hcm.addHttpFilters(router());
        mesh.ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(HELLO).setConnectTimeout(millis(1000)).build());
        mesh.ads.set(ResourceType.ENDPOINT, "1", cla(HELLO, locality("r", "z", 0, upstream.address())));
        mesh.ads.set(ResourceType.LISTENER, "1", listener("virtualOutbound", TrafficDirection.OUTBOUND, hcm.build()));
        mesh.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig(
                        "http_proxy",
                        VirtualHost.newBuilder()
                                .setName("hello")
                                .addDomains(AUTHORITY)
                                .addAllRoutes(List.of(routes))
                                .build()));
        proxy = mesh.start(b -> b.random(RandomSource.seeded(42)));
    }

    private Response get(String path) {
        return RawHttpClient.get(proxy.outboundPort(), "http://" + AUTHORITY + path);
    }

    @Test
    void abortAnswersLocallyWithTheStatusAndFlagFi() {
        start(
                true,
                route(
                        "/v3",
                        HTTPFault.newBuilder()
                                .setAbort(FaultAbort.newBuilder()
                                        .setHttpStatus(400)
                                        .setPercentage(percent(100, FractionalPercent.DenominatorType.HUNDRED)))
                                .build()),
                route("/", null));

        Response aborted = get("/v3/reviews");
        Response passed = get("/v2/reviews");

        assertThat(aborted.status()).isEqualTo(400);
        assertThat(aborted.body()).isEqualTo("fault filter abort");
        assertThat(passed.status()).isEqualTo(200);
        assertThat(upstream.requests()).isEqualTo(1);
        assertThat(mesh.records.get(0).flags()).containsExactly(ResponseFlag.FAULT_INJECTED);
        assertThat(mesh.records.get(0).attempts()).isZero();
        assertThat(mesh.records.get(1).flags()).isEmpty();
    }

    @Test
    void abortHitsItsFractionOfRequests() {
        start(
                true,
                route(
                        "/",
                        HTTPFault.newBuilder()
                                .setAbort(FaultAbort.newBuilder()
                                        .setHttpStatus(503)
                                        .setPercentage(percent(100_000, FractionalPercent.DenominatorType.MILLION)))
                                .build()));

        int aborted = 0;
        try (RawHttpClient client = RawHttpClient.connect(proxy.outboundPort())) {
            for (int i = 0; i < 1000; i++) {
                Response response =
                        client.send("GET http://" + AUTHORITY + "/ HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
                if (response.status() == 503) {
                    aborted++;
                }
            }
        }

        assertThat(aborted / 1000.0).isCloseTo(0.10, within(0.03));
        assertThat(upstream.requests()).isEqualTo(1000 - aborted);
    }

    @Test
    void delayHoldsTheRequestThenSendsItUpstreamWithFlagDi() {
        start(
                true,
                route(
                        "/",
                        HTTPFault.newBuilder()
                                .setDelay(FaultDelay.newBuilder()
                                        .setFixedDelay(millis(300))
                                        .setPercentage(percent(100, FractionalPercent.DenominatorType.HUNDRED)))
                                .build()));

        Response response = get("/slow");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("up GET /slow");
        RequestRecord record = mesh.records.get(0);
        assertThat(record.flags()).containsExactly(ResponseFlag.DELAY_INJECTED);
        assertThat(record.durationNanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void delayThenAbortCarriesBothFlags() {
        start(
                true,
                route(
                        "/",
                        HTTPFault.newBuilder()
                                .setDelay(FaultDelay.newBuilder()
                                        .setFixedDelay(millis(50))
                                        .setPercentage(percent(100, FractionalPercent.DenominatorType.HUNDRED)))
                                .setAbort(FaultAbort.newBuilder()
                                        .setHttpStatus(418)
                                        .setPercentage(percent(100, FractionalPercent.DenominatorType.HUNDRED)))
                                .build()));

        assertThat(get("/").status()).isEqualTo(418);
        assertThat(mesh.records.get(0).flags())
                .containsExactly(ResponseFlag.DELAY_INJECTED, ResponseFlag.FAULT_INJECTED);
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void routeFaultHasNoEffectWithoutTheFaultFilterOnTheHcm() {
        start(
                false,
                route(
                        "/",
                        HTTPFault.newBuilder()
                                .setAbort(FaultAbort.newBuilder()
                                        .setHttpStatus(400)
                                        .setPercentage(percent(100, FractionalPercent.DenominatorType.HUNDRED)))
                                .build()));

        assertThat(get("/").status()).isEqualTo(200);
        assertThat(mesh.records.get(0).flags()).isEmpty();
    }
}

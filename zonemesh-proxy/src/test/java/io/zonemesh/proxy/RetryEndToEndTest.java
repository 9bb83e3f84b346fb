package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.type.v3.Percent;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.EchoServer.Behaviour;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ResourceType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Envoy's router retries over real sockets, with zonemesh-lb's balancer: which outcomes are
 * retried, on which hosts and priorities, what the client finally gets and what the access log
 * records (flags, attempts).
 */
@ExtendWith(NettyLeakCheck.class)
class RetryEndToEndTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String URL = "http://helloworld.sample:5000/hello";

    private MeshFixture mesh;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("RetryEndToEndTest");
    }

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private EchoServer server(String name) {
        return mesh.server(name);
    }

    /** Istio's default policy (LOCALITY.md §4.4), as the control plane emits it. */
    private static RetryPolicy.Builder istioDefault() {
        return RetryPolicy.newBuilder()
                .setNumRetries(UInt32Value.of(2))
                .setRetryOn("connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")
                .addRetriableStatusCodes(503)
                .setHostSelectionRetryMaxAttempts(5)
                .addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                        .setName("envoy.retry_host_predicates.previous_hosts")
                        .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())));
    }

    private static RetryPolicy.RetryPriority previousPriorities() {
        return RetryPolicy.RetryPriority.newBuilder()
                .setName("envoy.retry_priorities.previous_priorities")
                .setTypedConfig(Any.pack(PreviousPrioritiesConfig.newBuilder()
                        .setUpdateFrequency(2)
                        .build()))
                .build();
    }

    private void start(
            Cluster.Builder cluster,
            RetryPolicy.Builder retry,
            Duration routeTimeout,
            LocalityLbEndpoints... localities) {
        mesh.ads.set(ResourceType.CLUSTER, "1", cluster.build());
        mesh.ads.set(ResourceType.ENDPOINT, "1", cla(HELLO, localities));
        mesh.ads.set(ResourceType.LISTENER, "1", outboundListener());
        RouteAction.Builder action =
                RouteAction.newBuilder().setCluster(HELLO).setTimeout(millis(routeTimeout.toMillis()));
        if (retry != null) {
            action.setRetryPolicy(retry);
        }
        mesh.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig(
                        "http_proxy",
                        VirtualHost.newBuilder()
                                .setName("hello")
                                .addDomains("helloworld.sample:5000")
                                .addRoutes(Route.newBuilder()
                                        .setName("default")
                                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                        .setRoute(action))
                                .build()));
        proxy = mesh.start(b ->
                b.node(NodeIdentity.sidecar("sleep-1", "sample", "sleep").withLocality("us-east1", "us-east1-a", "")));
    }

    private static Cluster.Builder cluster() {
        return edsCluster(HELLO).setConnectTimeout(millis(1000)).setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    }

    private Response get() {
        return RawHttpClient.get(proxy.outboundPort(), URL);
    }

    private RequestRecord lastRecord() {
        return mesh.records.get(mesh.records.size() - 1);
    }

    @Test
    void zoneLossCostsNoFailedRequestWithIstioDefaultRetries() {
        EchoServer a1 = server("a1");
        EchoServer a2 = server("a2");
        EchoServer b1 = server("b1");
        start(
                cluster()
                        .setOutlierDetection(OutlierDetection.newBuilder()
                                .setConsecutive5Xx(UInt32Value.of(1))
                                .setEnforcingSuccessRate(UInt32Value.of(0))
                                .setAlwaysEjectOneHost(BoolValue.of(true))
                                .setMaxEjectionPercent(UInt32Value.of(100)))
                        .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
                                .setHealthyPanicThreshold(Percent.newBuilder().setValue(0))),
                istioDefault(),
                Duration.ZERO,
                locality("us-east1", "us-east1-a", 0, a1.address(), a2.address()),
                locality("us-east1", "us-east1-b", 1, b1.address()));

        a1.close();
        for (int i = 0; i < 20; i++) {
            assertThat(get().status()).isEqualTo(200);
        }
        a2.close();
        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Response response = get();
            assertThat(response.status()).isEqualTo(200);
            servedBy.add(response.body().split(" ")[0]);
        }

        assertThat(servedBy).containsOnly("b1");
        assertThat(mesh.records).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(mesh.records).anySatisfy(r -> assertThat(r.attempts()).isEqualTo(2));
    }

    @Test
    void previousPrioritiesMovesTheThirdAttemptToTheNextPriority() {
        EchoServer a1 = server("a1");
        EchoServer b1 = server("b1");
        start(
                cluster(),
                istioDefault().setRetryPriority(previousPriorities()),
                Duration.ZERO,
                locality("us-east1", "us-east1-a", 0, a1.address()),
                locality("us-east1", "us-east1-b", 1, b1.address()));
        a1.close();

        Response response = get();

        // P0 keeps 100% of the load (no outlier detection): the first retry still lands on a1
        // (update_frequency 2), the second excludes P0.
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("b1 ");
        assertThat(lastRecord().attempts()).isEqualTo(3);
        assertThat(lastRecord().flags()).isEmpty();
        assertThat(lastRecord().upstreamHost()).isEqualTo(b1.address());
    }

    @Test
    void connectFailuresThatExhaustRetriesAre503WithUfAndUrx() {
        EchoServer a1 = server("a1");
        EchoServer b1 = server("b1");
        start(
                cluster(),
                istioDefault(),
                Duration.ZERO,
                locality("us-east1", "us-east1-a", 0, a1.address()),
                locality("us-east1", "us-east1-b", 1, b1.address()));
        a1.close();

        Response response = get();

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).endsWith("reset reason: connection failure");
        assertThat(lastRecord().flags())
                .containsExactly(ResponseFlag.UPSTREAM_CONNECT_FAILURE, ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        assertThat(lastRecord().attempts()).isEqualTo(3);
        assertThat(b1.requests()).isZero();
    }

    @Test
    void retriesA5xxOnAnotherHost() {
        EchoServer a1 = server("a1");
        EchoServer a2 = server("a2");
        a1.status(500);
        start(
                cluster(),
                istioDefault().setRetryOn("5xx"),
                Duration.ofSeconds(5),
                locality("us-east1", "us-east1-a", 0, a1.address(), a2.address()));

        for (int i = 0; i < 10; i++) {
            Response response = get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("a2 ");
        }

        assertThat(a1.requests()).isBetween(1, 10);
        assertThat(mesh.records).allSatisfy(r -> assertThat(r.upstreamHost()).isEqualTo(a2.address()));
        assertThat(mesh.records.stream().mapToInt(RequestRecord::attempts).sum())
                .isEqualTo(10 + a1.requests());
    }

    @Test
    void relaysTheLastRetriableResponseWithUrxWhenRetriesRunOut() {
        EchoServer a1 = server("a1");
        a1.status(503);
        start(cluster(), istioDefault(), Duration.ofSeconds(5), locality("us-east1", "us-east1-a", 0, a1.address()));

        Response response = get();

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("a1 GET /hello");
        assertThat(a1.requests()).isEqualTo(3);
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        assertThat(lastRecord().attempts()).isEqualTo(3);
    }

    @Test
    void statusesOutsideTheRetryConditionsAreRelayedAtOnce() {
        EchoServer a1 = server("a1");
        a1.status(500);
        start(cluster(), istioDefault(), Duration.ofSeconds(5), locality("us-east1", "us-east1-a", 0, a1.address()));

        Response response = get();

        assertThat(response.status()).isEqualTo(500);
        assertThat(a1.requests()).isEqualTo(1);
        assertThat(lastRecord().flags()).isEmpty();
        assertThat(lastRecord().attempts()).isEqualTo(1);
    }

    @Test
    void perTryTimeoutMovesTheRequestToAnotherHost() {
        EchoServer a1 = server("a1");
        EchoServer a2 = server("a2");
        a1.behaviour(Behaviour.SILENT);
        start(
                cluster(),
                istioDefault().setRetryOn("reset").setPerTryTimeout(millis(200)),
                Duration.ofSeconds(5),
                locality("us-east1", "us-east1-a", 0, a1.address(), a2.address()));

        for (int i = 0; i < 4; i++) {
            Response response = get();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("a2 ");
        }
        assertThat(mesh.records).anySatisfy(r -> assertThat(r.attempts()).isEqualTo(2));
    }

    @Test
    void perTryTimeoutWithoutRetriesLeftIs504UtAndUrx() {
        EchoServer a1 = server("a1");
        a1.behaviour(Behaviour.SILENT);
        start(
                cluster(),
                istioDefault()
                        .setRetryOn("5xx")
                        .setNumRetries(UInt32Value.of(1))
                        .setPerTryTimeout(millis(100)),
                Duration.ofSeconds(5),
                locality("us-east1", "us-east1-a", 0, a1.address()));

        Response response = get();

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.body()).isEqualTo("upstream request timeout");
        assertThat(lastRecord().flags())
                .containsExactly(ResponseFlag.UPSTREAM_REQUEST_TIMEOUT, ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        assertThat(lastRecord().attempts()).isEqualTo(2);
    }

    @Test
    void fullMaxRetriesBreakerRelaysTheFirstResponseWithUo() {
        EchoServer a1 = server("a1");
        a1.status(503);
        start(
                cluster()
                        .setCircuitBreakers(CircuitBreakers.newBuilder()
                                .addThresholds(
                                        CircuitBreakers.Thresholds.newBuilder().setMaxRetries(UInt32Value.of(0)))),
                istioDefault(),
                Duration.ofSeconds(5),
                locality("us-east1", "us-east1-a", 0, a1.address()));

        Response response = get();

        assertThat(response.status()).isEqualTo(503);
        assertThat(a1.requests()).isEqualTo(1);
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.UPSTREAM_OVERFLOW);
        assertThat(lastRecord().attempts()).isEqualTo(1);
    }

    @Test
    void withoutARetryPolicyAConnectFailureIsAnsweredOnce() {
        EchoServer a1 = server("a1");
        start(cluster(), null, Duration.ofSeconds(5), locality("us-east1", "us-east1-a", 0, a1.address()));
        a1.close();

        Response response = get();

        assertThat(response.status()).isEqualTo(503);
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
        assertThat(lastRecord().attempts()).isEqualTo(1);
    }
}

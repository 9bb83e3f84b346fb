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
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.EchoServer.Behaviour;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.ResourceType;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Responses are streamed, not aggregated: large bodies pass through with or without a length
 * (there is no size limit, as in Envoy), a retried response's body is dropped and its
 * connection reused, and the buffered request body is sent again on a retry.
 */
@ExtendWith(NettyLeakCheck.class)
class StreamingEndToEndTest {
    private static final Duration WAIT = MeshFixture.WAIT;
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String AUTHORITY = "helloworld.sample:5000";
    private static final String URL = "http://" + AUTHORITY + "/hello";

    private MeshFixture mesh;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("StreamingEndToEndTest");
    }

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private EchoServer server(String name) {
        return mesh.server(name);
    }

    private void start(RetryPolicy.Builder retry, LocalityLbEndpoints... localities) {
        mesh.ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(HELLO)
                        .setConnectTimeout(millis(1000))
                        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                        .build());
        mesh.ads.set(ResourceType.ENDPOINT, "1", cla(HELLO, localities));
        mesh.ads.set(ResourceType.LISTENER, "1", outboundListener());
        RouteAction.Builder action = RouteAction.newBuilder().setCluster(HELLO).setTimeout(millis(20_000));
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
                                .addDomains(AUTHORITY)
                                .addRoutes(Route.newBuilder()
                                        .setName("default")
                                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                        .setRoute(action))
                                .build()));
        proxy = mesh.start();
    }

    private static RetryPolicy.Builder retryOn5xx() {
        return RetryPolicy.newBuilder().setNumRetries(UInt32Value.of(1)).setRetryOn("5xx");
    }

    private RequestRecord lastRecord() {
        return mesh.records.get(mesh.records.size() - 1);
    }

    @Test
    void bodyWithoutALengthIsStreamedThroughChunked() {
        EchoServer a1 = server("a1");
        start(null, locality("r", "z", 0, a1.address()));
        a1.behaviour(Behaviour.STREAM);

        Response response = RawHttpClient.get(proxy.outboundPort(), URL);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers())
                .containsEntry("transfer-encoding", "chunked")
                .doesNotContainKey("content-length");
        assertThat(response.body()).hasSize(3 << 20).matches("x+");
        assertThat(lastRecord().bytesSent()).isEqualTo(3 << 20);
        assertThat(lastRecord().flags()).isEmpty();
    }

    @Test
    void largeBodyKeepsItsContentLengthAndTheConnectionServesTheNextRequest() {
        EchoServer a1 = server("a1");
        start(null, locality("r", "z", 0, a1.address()));
        a1.behaviour(Behaviour.BIG);

        try (RawHttpClient client = RawHttpClient.connect(proxy.outboundPort())) {
            String request = "GET " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n";
            Response big = client.send(request);
            assertThat(big.status()).isEqualTo(200);
            assertThat(big.headers()).containsEntry("content-length", String.valueOf(8 << 20));
            assertThat(big.body()).hasSize(8 << 20);

            a1.behaviour(Behaviour.RESPOND);
            assertThat(client.send(request).body()).isEqualTo("a1 GET /hello");
        }
        assertThat(a1.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aChunkedBodyOfAnyLengthIsRelayedWhole() {
        EchoServer a1 = server("a1");
        start(null, locality("r", "z", 0, a1.address()));
        a1.behaviour(Behaviour.STREAM_HUGE);

        try (RawHttpClient client = RawHttpClient.connect(proxy.outboundPort())) {
            Response response = client.send("GET " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(11 << 20);
        }
        await().atMost(WAIT).until(() -> !mesh.records.isEmpty());
        assertThat(lastRecord().flags()).isEmpty();
        assertThat(lastRecord().bytesSent()).isEqualTo(11L << 20);
    }

    @Test
    void retriedResponseBodyIsDroppedAndItsConnectionReused() {
        EchoServer a1 = server("a1");
        start(retryOn5xx(), locality("r", "z", 0, a1.address()));
        a1.status(503);

        Response response = RawHttpClient.get(proxy.outboundPort(), URL);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("a1 GET /hello");
        assertThat(lastRecord().attempts()).isEqualTo(2);
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        assertThat(a1.requests()).isEqualTo(2);
        assertThat(a1.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void bufferedRequestBodyIsSentAgainOnRetry() {
        EchoServer a1 = server("a1");
        EchoServer a2 = server("a2");
        start(retryOn5xx(), locality("r", "z", 0, a1.address(), a2.address()));
        a1.status(503);
        String body = "x".repeat(100_000);

        // Round robin alternates the first host; whichever comes first, a 503 from a1 is retried on a2.
        for (int i = 0; i < 2; i++) {
            try (RawHttpClient client = RawHttpClient.connect(proxy.outboundPort())) {
                Response response = client.send("POST " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY
                        + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a2 POST /hello");
            }
        }
        assertThat(a1.bodies()).containsOnly(body);
        assertThat(a2.bodies()).hasSize(2).containsOnly(body);
        assertThat(mesh.records).anySatisfy(r -> assertThat(r.attempts()).isEqualTo(2));
    }

    @Test
    void headResponseAnnouncingABodyOverTheLimitIsRelayed() {
        EchoServer a1 = server("a1");
        start(null, locality("r", "z", 0, a1.address()));
        a1.behaviour(Behaviour.HUGE);

        try (RawHttpClient client = RawHttpClient.connect(proxy.outboundPort())) {
            client.write("HEAD " + URL + " HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
            String head = client.readHead();
            assertThat(head)
                    .startsWith("HTTP/1.1 200 ")
                    .containsIgnoringCase("content-length: " + (10 * 1024 * 1024 + 1));
        }
        assertThat(lastRecord().flags()).isEmpty();
    }
}

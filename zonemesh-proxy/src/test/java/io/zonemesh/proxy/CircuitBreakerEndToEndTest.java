package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.ProxyFixture.WAIT;
import static io.zonemesh.proxy.testing.ProxyFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.testing.EchoServer.Behaviour;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster's {@code circuit_breakers} on real sockets: {@code max_requests} and
 * {@code max_pending_requests} answer 503 UO at once, {@code max_connections} makes requests
 * queue for the connections there are.
 */
@ExtendWith(NettyLeakCheck.class)
class CircuitBreakerEndToEndTest {
    private static final String CLUSTER_TAG = "cluster=\"" + ProxyFixture.CLUSTER + "\"";
    private static EventLoopGroup group;
    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    private ProxyFixture fixture;

    @BeforeAll
    static void startGroup() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("CircuitBreakerEndToEndTest"));
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private ProxyFixture start(CircuitBreakers.Thresholds.Builder thresholds) {
        fixture = new ProxyFixture(group, b -> b.requestObserver(records::add))
                .start(ProxyFixture.cluster()
                        .setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(thresholds))
                        .build());
        return fixture;
    }

    private String scrape() {
        return RawHttpClient.get(fixture.proxy.adminPort(), "http://admin/stats/prometheus")
                .body();
    }

    private void assertOverflow(Response response) {
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).endsWith("reset reason: overflow");
        assertThat(records).last().satisfies(r -> {
            assertThat(r.flags()).containsExactly(ResponseFlag.UPSTREAM_OVERFLOW);
            assertThat(r.attempts()).isEqualTo(1);
        });
    }

    @Test
    void requestOverMaxRequestsIs503UoWithoutReachingTheUpstream() {
        start(CircuitBreakers.Thresholds.newBuilder().setMaxRequests(UInt32Value.of(1)));
        fixture.upstream.behaviour(Behaviour.SILENT);

        try (RawHttpClient first = RawHttpClient.connect(fixture.port())) {
            first.write(request("GET", "/slow", ""));
            await().atMost(WAIT).until(() -> fixture.upstream.requests() == 1);

            assertOverflow(RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/refused"));
            assertThat(fixture.upstream.requests()).isEqualTo(1);
            assertThat(scrape())
                    .contains("zonemesh_cluster_overflows_total{" + CLUSTER_TAG + ",resource=\"requests\"} 1.0");
        }
    }

    @Test
    void requestOverMaxPendingRequestsIs503UoWhileAnotherWaitsForTheOnlyConnection() {
        start(CircuitBreakers.Thresholds.newBuilder()
                .setMaxConnections(UInt32Value.of(1))
                .setMaxPendingRequests(UInt32Value.of(1)));
        fixture.upstream.behaviour(Behaviour.SILENT);

        try (RawHttpClient first = RawHttpClient.connect(fixture.port());
                RawHttpClient second = RawHttpClient.connect(fixture.port())) {
            first.write(request("GET", "/first", ""));
            await().atMost(WAIT).until(() -> fixture.upstream.requests() == 1);
            second.write(request("GET", "/second", ""));
            await().atMost(WAIT)
                    .until(() -> scrape().contains(
                                    "zonemesh_cluster_active{" + CLUSTER_TAG + ",resource=\"pending_requests\"} 1.0"));

            assertOverflow(RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/third"));
            String scrape = scrape();
            assertThat(scrape)
                    .contains(
                            "zonemesh_cluster_overflows_total{" + CLUSTER_TAG + ",resource=\"pending_requests\"} 1.0");
            assertThat(scrape).contains("zonemesh_cluster_active{" + CLUSTER_TAG + ",resource=\"connections\"} 1.0");
            assertThat(fixture.upstream.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void requestsQueueForTheConnectionsMaxConnectionsAllows() throws Exception {
        start(CircuitBreakers.Thresholds.newBuilder().setMaxConnections(UInt32Value.of(1)));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<List<Integer>>> results = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                results.add(CompletableFuture.supplyAsync(
                        () -> {
                            List<Integer> statuses = new ArrayList<>();
                            try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
                                for (int i = 0; i < 10; i++) {
                                    statuses.add(client.send(request("GET", "/" + i, ""))
                                            .status());
                                }
                            }
                            return statuses;
                        },
                        clients));
            }
            for (CompletableFuture<List<Integer>> result : results) {
                assertThat(result.get(WAIT.toSeconds(), TimeUnit.SECONDS)).containsOnly(200);
            }
        } finally {
            clients.shutdownNow();
        }

        assertThat(fixture.upstream.connectionsAccepted()).isEqualTo(1);
        assertThat(fixture.upstream.requests()).isEqualTo(40);
    }
}

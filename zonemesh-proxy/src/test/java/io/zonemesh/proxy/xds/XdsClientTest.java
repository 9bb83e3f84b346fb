package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.testing.FakeAdsServer;
import io.zonemesh.proxy.testing.LockedFakeScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XdsClientTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String C1 = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String C2 = "outbound|9080||reviews.default.svc.cluster.local";
    private static final AtomicInteger SERVER_IDS = new AtomicInteger();

    /** Always the longest delay, so backoff steps are exact: 1.2s, 1.92s, 3.07s... */
    private static final RandomSource LONGEST = new RandomSource() {
        @Override
        public int nextInt(int bound) {
            return bound - 1;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }

        @Override
        public double nextDouble() {
            return 0.999;
        }
    };

    private final FakeAdsServer ads = new FakeAdsServer();
    private final LockedFakeScheduler scheduler = new LockedFakeScheduler();
    private final List<XdsResources> updates = new CopyOnWriteArrayList<>();
    private final Node node =
            NodeIdentity.sidecar("sleep-1", "default", "sleep").toNode();
    private final String serverName = "ads-" + SERVER_IDS.incrementAndGet();
    private ExecutorService executor;
    private Server server;
    private ManagedChannel channel;
    private XdsClient client;

    @BeforeEach
    void setUp() {
        server = ads.startInProcess(serverName);
        channel = InProcessChannelBuilder.forName(serverName).directExecutor().build();
        executor = Executors.newSingleThreadExecutor();
        client = new XdsClient(channel, node, executor, scheduler, productionBackoff(), scheduler, updates::add);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        client.close();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        channel.shutdownNow();
        server.shutdownNow();
        assertThat(scheduler.pendingTasks()).as("timers left at teardown").isEmpty();
    }

    private void serveVersion1() {
        ads.set(ResourceType.CLUSTER, "1", edsCluster(C1).build());
        ads.set(ResourceType.ENDPOINT, "1", cla(C1, locality("us-east1", "us-east1-b", 0, "10.0.0.1:5000")));
        ads.set(ResourceType.LISTENER, "1", outboundListener());
        ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig("http_proxy", virtualHost("helloworld", List.of("helloworld.sample:5000"), C1)));
    }

    private XdsResources awaitComplete() {
        await().atMost(WAIT)
                .until(() -> !updates.isEmpty()
                        && last().listeners().size() == 1
                        && last().routes().size() == 1
                        && last().clusters().size() == 1
                        && last().endpoints().size() == 1);
        return last();
    }

    private XdsResources last() {
        return updates.get(updates.size() - 1);
    }

    @Test
    void acksEachValidResponseAndSubscribesToTheRoutesAndEndpointsItReferences() {
        serveVersion1();
        client.start();

        XdsResources resources = awaitComplete();

        assertThat(resources.versions()).containsOnlyKeys(ResourceType.values());
        assertThat(resources.endpoints().get(C1).parsed().hosts())
                .singleElement()
                .satisfies(h -> assertThat(h.key()).isEqualTo("10.0.0.1:5000"));
        DiscoveryRequest cdsAck =
                ads.awaitRequest(ResourceType.CLUSTER, r -> r.getVersionInfo().equals("1"), WAIT);
        assertThat(cdsAck.getResponseNonce()).isNotEmpty();
        assertThat(cdsAck.hasErrorDetail()).isFalse();
        assertThat(ads.awaitRequest(
                                ResourceType.ENDPOINT,
                                r -> !r.getResourceNamesList().isEmpty(),
                                WAIT)
                        .getResourceNamesList())
                .containsExactly(C1);
        assertThat(ads.awaitRequest(
                                ResourceType.ROUTE,
                                r -> !r.getResourceNamesList().isEmpty(),
                                WAIT)
                        .getResourceNamesList())
                .containsExactly("http_proxy");
        ads.awaitRequest(ResourceType.ROUTE, r -> r.getVersionInfo().equals("1"), WAIT);
        ads.awaitRequest(ResourceType.ENDPOINT, r -> r.getVersionInfo().equals("1"), WAIT);
        List<DiscoveryRequest> all = ads.requests();
        assertThat(all.get(0).getNode()).isEqualTo(node);
        assertThat(all.subList(1, all.size()))
                .allSatisfy(r -> assertThat(r.hasNode()).isFalse());
        assertThat(client.status().connected()).isTrue();
        assertThat(client.status().type(ResourceType.CLUSTER).ackedVersion()).isEqualTo("1");
    }

    @Test
    void nacksAWholeResponseListingEveryErrorAndKeepsTheLastGoodResources() {
        serveVersion1();
        client.start();
        awaitComplete();
        ads.awaitRequest(ResourceType.CLUSTER, r -> r.getVersionInfo().equals("1"), WAIT);
        int updatesBefore = updates.size();

        ads.set(
                ResourceType.CLUSTER,
                "2",
                edsCluster(C1).build(),
                edsCluster(C2).build(),
                edsCluster("bad-policy")
                        .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
                        .build(),
                edsCluster("bad-type")
                        .setType(Cluster.DiscoveryType.ORIGINAL_DST)
                        .build());

        DiscoveryRequest nack = ads.awaitRequest(ResourceType.CLUSTER, DiscoveryRequest::hasErrorDetail, WAIT);
        assertThat(nack.getVersionInfo()).isEqualTo("1");
        assertThat(nack.getResponseNonce()).isNotEmpty();
        assertThat(nack.getErrorDetail().getCode()).isEqualTo(3);
        assertThat(nack.getErrorDetail().getMessage())
                .contains("Cluster bad-policy: lb_policy: CLUSTER_PROVIDED")
                .contains("Cluster bad-type: type: ORIGINAL_DST");
        assertThat(updates).hasSize(updatesBefore);
        assertThat(last().clusters()).containsOnlyKeys(C1);
        XdsStatus.TypeStatus status = client.status().type(ResourceType.CLUSTER);
        assertThat(status.ackedVersion()).isEqualTo("1");
        assertThat(status.nackedVersion()).isEqualTo("2");
        assertThat(status.nackError()).isEqualTo(nack.getErrorDetail().getMessage());
        assertThat(ads.requests(ResourceType.ENDPOINT))
                .allSatisfy(r -> assertThat(r.getResourceNamesList()).doesNotContain(C2));
    }

    @Test
    void removedClustersLoseTheirEndpointsAndTheSubscriptionShrinks() {
        serveVersion1();
        client.start();
        awaitComplete();

        ads.set(ResourceType.CLUSTER, "2", edsCluster(C2).build());

        DiscoveryRequest eds = ads.awaitRequest(
                ResourceType.ENDPOINT, r -> r.getResourceNamesList().equals(List.of(C2)), WAIT);
        assertThat(eds.getVersionInfo()).isEqualTo("1");
        await().atMost(WAIT).until(() -> last().clusters().containsKey(C2));
        assertThat(last().clusters()).containsOnlyKeys(C2);
        assertThat(last().endpoints()).isEmpty();
    }

    @Test
    void reconnectsAfterJitteredBackoffResendingAcceptedVersionsAndResetsBackoffOnResponse() {
        serveVersion1();
        client.start();
        awaitComplete();
        ads.awaitRequest(ResourceType.ROUTE, r -> r.getVersionInfo().equals("1"), WAIT);

        server.shutdownNow();
        await().atMost(WAIT).until(() -> !scheduler.pendingTasks().isEmpty());
        assertThat(client.status().connected()).isFalse();
        server = ads.startInProcess(serverName);
        ads.skipReceived();
        scheduler.advance(Duration.ofMillis(1_199));
        assertThat(ads.streamsOpened()).isEqualTo(1);

        scheduler.advance(Duration.ofMillis(1));

        await().atMost(WAIT).until(() -> ads.streamsOpened() == 2);
        Map<ResourceType, String> versions = Map.of(
                ResourceType.CLUSTER,
                "1",
                ResourceType.LISTENER,
                "1",
                ResourceType.ENDPOINT,
                "1",
                ResourceType.ROUTE,
                "1");
        versions.forEach((type, version) -> {
            DiscoveryRequest resent =
                    ads.awaitRequest(type, r -> r.getResponseNonce().isEmpty(), WAIT);
            assertThat(resent.getVersionInfo()).as(type.kind()).isEqualTo(version);
        });
        await().atMost(WAIT).until(() -> client.status().connected());

        // After a response the backoff starts over at its initial 1s (+20%) rather than growing.
        server.shutdownNow();
        await().atMost(WAIT).until(() -> !scheduler.pendingTasks().isEmpty());
        server = ads.startInProcess(serverName);
        scheduler.advance(Duration.ofMillis(1_200));
        await().atMost(WAIT).until(() -> ads.streamsOpened() == 3);
    }

    /** grpc-java subtracts the stream's lifetime from the delay: a long-lived stream that breaks is retried at once. */
    @Test
    void reconnectsAtOnceWhenAStreamThatLivedLongerThanTheDelayBreaks() {
        serveVersion1();
        client.start();
        awaitComplete();
        scheduler.advance(Duration.ofMinutes(10));

        server.shutdownNow();
        await().atMost(WAIT).until(() -> !scheduler.pendingTasks().isEmpty());
        server = ads.startInProcess(serverName);
        scheduler.advance(Duration.ZERO);

        await().atMost(WAIT).until(() -> ads.streamsOpened() == 2);
        await().atMost(WAIT).until(() -> client.status().connected());
    }

    /**
     * RELIABILITY.md test 8: after a control-plane outage of any length, a proxy reconnects within
     * 10 s of the server coming back. Fake time in 100 ms steps through a two-minute outage, always
     * drawing the longest jittered delay.
     */
    @Test
    void reconnectDelayStaysCappedThroughALongOutageSoTheProxyResyncsWithinTenSeconds() {
        serveVersion1();
        client.start();
        awaitComplete();
        server.shutdownNow();

        long nowMillis = 0;
        long lastAttemptMillis = 0;
        long longestGapMillis = 0;
        promptly().until(() -> !scheduler.pendingTasks().isEmpty());
        for (int step = 0; step < 1_200; step++) {
            long attempts = client.status().streamsOpened();
            scheduler.advance(Duration.ofMillis(100));
            nowMillis += 100;
            // A reconnect that fired fails against the stopped server and arms the next one; the
            // client counts the attempt before it arms the timer.
            promptly().until(() -> !scheduler.pendingTasks().isEmpty());
            if (client.status().streamsOpened() > attempts) {
                longestGapMillis = Math.max(longestGapMillis, nowMillis - lastAttemptMillis);
                lastAttemptMillis = nowMillis;
            }
        }
        assertThat(longestGapMillis).as("longest wait between attempts").isLessThanOrEqualTo(6_000);

        server = ads.startInProcess(serverName);
        long restartedMillis = nowMillis;
        for (int step = 0; step < 200 && !client.status().connected(); step++) {
            scheduler.advance(Duration.ofMillis(100));
            nowMillis += 100;
            promptly()
                    .until(() -> client.status().connected()
                            || !scheduler.pendingTasks().isEmpty());
        }
        assertThat(client.status().connected()).isTrue();
        assertThat(nowMillis - restartedMillis)
                .as("time from restart to resync")
                .isLessThanOrEqualTo(10_000);
    }

    /** The proxy's defaults, always drawing the longest delay. */
    private static ReconnectBackoff productionBackoff() {
        return new ReconnectBackoff(ReconnectBackoff.DEFAULT_INITIAL, ReconnectBackoff.DEFAULT_MAX, LONGEST);
    }

    /** Awaits a condition that other threads make true within microseconds, without a poll delay per step. */
    private static ConditionFactory promptly() {
        return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    @Test
    void keepsServingTheLastResourcesWhileDisconnected() {
        serveVersion1();
        client.start();
        XdsResources before = awaitComplete();

        server.shutdownNow();
        await().atMost(WAIT).until(() -> !scheduler.pendingTasks().isEmpty());

        assertThat(last()).isEqualTo(before);
        assertThat(client.status().type(ResourceType.LISTENER).ackedVersion()).isEqualTo("1");
    }
}

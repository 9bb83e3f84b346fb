package io.zonemesh.proxy.http;

import static io.zonemesh.proxy.testing.EnvoyResources.ads;
import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.listener;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.router;
import static io.zonemesh.proxy.testing.EnvoyResources.seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.Host;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.ClusterManager;
import io.zonemesh.proxy.snapshot.DnsResolver;
import io.zonemesh.proxy.snapshot.SnapshotPublisher;
import io.zonemesh.proxy.testing.FakeLoadBalancerFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.proxy.xds.XdsResourcesFixture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request path end to end without sockets or wall-clock timers: the downstream connection is
 * an {@link EmbeddedChannel}, and so is every upstream connection the pools open (unregistered
 * ones, which the pool registers on the downstream's embedded event loop), so that retries,
 * back-off and timeouts run on Netty's virtual time.
 */
@ExtendWith(NettyLeakCheck.class)
class ProxyExchangeTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String AUTHORITY = "helloworld.sample:5000";
    private static final String OUTBOUND_LISTENER = "virtualOutbound";

    private final FakeClock clock = new FakeClock();
    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    private final List<EmbeddedChannel> upstreams = new ArrayList<>();
    private final ConnectionPools pools = new ConnectionPools(() -> {
        EmbeddedChannel upstream = new EmbeddedChannel(false, false);
        upstreams.add(upstream);
        return upstream;
    });
    private final FakeLoadBalancerFactory fakes = new FakeLoadBalancerFactory();
    private final FailingBalancers balancers = new FailingBalancers();
    private SnapshotPublisher publisher;
    private EmbeddedChannel downstream;

    @AfterEach
    void tearDown() {
        // The client first, so that closing an upstream cannot start a retry (and a new upstream).
        if (downstream != null) {
            downstream.finishAndReleaseAll();
        }
        for (int i = 0; i < upstreams.size(); i++) {
            upstreams.get(i).finishAndReleaseAll();
        }
        if (publisher != null) {
            publisher.shutdown();
        }
    }

    /** Serves {@link #AUTHORITY} from one host of {@link #HELLO} through {@code route}. */
    private void start(RouteAction.Builder route) {
        start(route, ListenerContext.DEFAULT_STREAM_IDLE_TIMEOUT);
    }

    private void start(RouteAction.Builder route, Duration streamIdleTimeout) {
        start(route, streamIdleTimeout, null);
    }

    /** @param fault a per-route {@code HTTPFault}, with the fault filter on the listener; null: none */
    private void start(RouteAction.Builder route, Duration streamIdleTimeout, @Nullable HTTPFault fault) {
        Route.Builder rule = Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                .setRoute(route.setCluster(HELLO));
        Listener listener = outboundListener();
        if (fault != null) {
            rule.putTypedPerFilterConfig("envoy.filters.http.fault", Any.pack(fault));
            listener = listener(
                    OUTBOUND_LISTENER,
                    TrafficDirection.OUTBOUND,
                    HttpConnectionManager.newBuilder()
                            .setStatPrefix("outbound")
                            .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("http_proxy"))
                            .addHttpFilters(HttpFilter.newBuilder()
                                    .setName("envoy.filters.http.fault")
                                    .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance())))
                            .addHttpFilters(router())
                            .build());
        }
        publisher = new SnapshotPublisher(
                new ClusterManager(balancers, clock, RandomSource.seeded(1), clock, new ClusterManager.Listener() {
                    @Override
                    public void onClusterAdded(ActiveCluster cluster) {}

                    @Override
                    public void onClusterRemoved(String clusterName) {}
                }),
                new DnsResolver(DnsResolver.SYSTEM, Runnable::run, Runnable::run, clock));
        publisher.onResourcesChanged(XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", edsCluster(HELLO).build())
                .set(ResourceType.ENDPOINT, "1", cla(HELLO, locality("r", "z", 0, "127.0.0.1:8080")))
                .set(ResourceType.LISTENER, "1", listener)
                .set(
                        ResourceType.ROUTE,
                        "1",
                        routeConfig(
                                "http_proxy",
                                VirtualHost.newBuilder()
                                        .setName("hello")
                                        .addDomains(AUTHORITY)
                                        .addRoutes(rule)
                                        .build()))
                .build());
        ListenerContext context = new ListenerContext(
                        OUTBOUND_LISTENER,
                        Direction.OUTBOUND,
                        publisher::current,
                        pools,
                        records::add,
                        clock,
                        RandomSource.seeded(7),
                        new DrainState())
                .withStreamIdleTimeout(streamIdleTimeout);
        downstream = new EmbeddedChannel(
                new HttpServerCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_BYTES, HttpLimits.MAX_CHUNK),
                new RequestAggregator(),
                new DownstreamHandler(context));
        // Virtual time only: no wall-clock time may leak into the timers' deadlines.
        downstream.freezeTime();
    }

    /** Istio's default route: {@code timeout: 0s}, no retries. */
    private static RouteAction.Builder noTimeout() {
        return RouteAction.newBuilder().setTimeout(seconds(0));
    }

    private static RouteAction.Builder retrying5xx(int retries) {
        return RouteAction.newBuilder()
                .setTimeout(seconds(0))
                .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx").setNumRetries(UInt32Value.of(retries)));
    }

    private void send(String request) {
        downstream.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        downstream.runPendingTasks();
    }

    private static String drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            out.append(buffer.toString(StandardCharsets.ISO_8859_1));
            buffer.release();
        }
        return out.toString();
    }

    /**
     * Moves the embedded event loop's virtual clock on in steps of a second, running what fell
     * due after each, as a real loop runs timers on time (one jump would run a re-armed timer
     * late, and it measures its next deadline from then).
     */
    private void advance(Duration by) {
        long steps = by.toSeconds();
        for (long i = 0; i < steps; i++) {
            tick(TimeUnit.SECONDS.toNanos(1));
        }
        tick(by.minusSeconds(steps).toNanos());
    }

    private void tick(long nanos) {
        downstream.advanceTimeBy(nanos, TimeUnit.NANOSECONDS);
        downstream.runScheduledPendingTasks();
        downstream.runPendingTasks();
    }

    private RequestRecord lastRecord() {
        return records.get(records.size() - 1);
    }

    @Test
    void aFailureWhileStartingARetryIsAnswered500InsteadOfHangingTheClient() {
        start(retrying5xx(2));
        send("GET /x HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        assertThat(upstreams).hasSize(1);
        assertThat(drain(upstreams.get(0))).startsWith("GET /x HTTP/1.1\r\n");

        // The retry's host pick throws: a bug on the retry path, which runs from the back-off timer.
        balancers.failPicks = true;
        upstreams.get(0).close();
        downstream.runPendingTasks();
        advance(Duration.ofSeconds(1));

        assertThat(drain(downstream)).startsWith("HTTP/1.1 500 ");
        assertThat(lastRecord().status()).isEqualTo(500);
        assertThat(downstream.isOpen()).isTrue();
    }

    @Test
    void aHangingUpstreamWithoutARouteTimeoutIsAnswered504SiAfterTheStreamIdleTimeout() {
        start(noTimeout());
        send("GET /hang HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        assertThat(drain(upstreams.get(0))).startsWith("GET /hang HTTP/1.1\r\n");

        advance(ListenerContext.DEFAULT_STREAM_IDLE_TIMEOUT.minusSeconds(1));
        assertThat(drain(downstream)).isEmpty();
        advance(Duration.ofSeconds(1));

        String response = drain(downstream);
        assertThat(response).startsWith("HTTP/1.1 504 Gateway Timeout\r\n").endsWith("stream timeout");
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.STREAM_IDLE_TIMEOUT);
        assertThat(lastRecord().upstreamHost()).isEqualTo("127.0.0.1:8080");
        // The abandoned upstream connection is not reused: its response may still arrive.
        assertThat(upstreams.get(0).isOpen()).isFalse();
        assertThat(downstream.isOpen()).isTrue();
        // Not a failure of the host: Envoy's router resets the upstream request without telling outlier detection.
        assertThat(fakes.get(HELLO).events()).isEmpty();
    }

    @Test
    void aResponseThatKeepsMovingIsNotCutByTheStreamIdleTimeoutButOneThatStallsIsReset() {
        start(noTimeout(), Duration.ofSeconds(30));
        send("GET /slow HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        EmbeddedChannel upstream = upstreams.get(0);
        drain(upstream);

        advance(Duration.ofSeconds(20));
        upstream.writeInbound(
                Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nab", StandardCharsets.ISO_8859_1));
        advance(Duration.ofSeconds(20));
        upstream.writeInbound(Unpooled.copiedBuffer("cd", StandardCharsets.ISO_8859_1));
        advance(Duration.ofSeconds(20));
        assertThat(drain(downstream)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("abcd");
        advance(Duration.ofSeconds(9));
        assertThat(downstream.isOpen()).isTrue();

        // 30 s after the last piece, give or take the timer's re-arm granularity of a tick.
        advance(Duration.ofSeconds(3));

        // The head is already with the client: the only way to tell it is to reset it.
        assertThat(downstream.isOpen()).isFalse();
        assertThat(lastRecord().status()).isEqualTo(200);
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.STREAM_IDLE_TIMEOUT);
    }

    @Test
    void aStreamedUploadThatStopsHalfWayIsAnswered408SiAndItsBodyWentUpstreamAsItCame() {
        start(noTimeout());
        int buffer = RequestAggregator.RETRY_BUFFER_BYTES;
        send("PUT /blob HTTP/1.1\r\nHost: " + AUTHORITY + "\r\nContent-Length: " + (3 * buffer) + "\r\n\r\n"
                + "x".repeat(buffer + 1));
        String upstream = drain(upstreams.get(0));
        assertThat(upstream)
                .startsWith("PUT /blob HTTP/1.1\r\n")
                .containsIgnoringCase("content-length: " + (3 * buffer))
                .endsWith("x".repeat(buffer + 1));

        // (Plus a tick: the body's arrival re-armed the timer a little after the head's.)
        advance(ListenerContext.DEFAULT_STREAM_IDLE_TIMEOUT.plusSeconds(1));

        assertThat(drain(downstream))
                .startsWith("HTTP/1.1 408 Request Timeout\r\n")
                .containsIgnoringCase("connection: close")
                .endsWith("stream timeout");
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.STREAM_IDLE_TIMEOUT);
        assertThat(lastRecord().bytesReceived()).isEqualTo(buffer + 1);
        assertThat(downstream.isOpen()).isFalse();
    }

    @Test
    void aZeroStreamIdleTimeoutNeverFires() {
        start(noTimeout(), Duration.ZERO);
        send("GET /hang HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        drain(upstreams.get(0));

        advance(Duration.ofMinutes(10));

        assertThat(drain(downstream)).isEmpty();
        assertThat(records).isEmpty();
    }

    private static RouteAction.Builder perTryTimeout(Duration perTry, int retries) {
        return RouteAction.newBuilder()
                .setTimeout(seconds(0))
                .setRetryPolicy(RetryPolicy.newBuilder()
                        .setRetryOn("5xx")
                        .setNumRetries(UInt32Value.of(retries))
                        .setPerTryTimeout(com.google.protobuf.Duration.newBuilder()
                                .setSeconds(perTry.toSeconds())
                                .setNanos(perTry.toNanosPart())));
    }

    private static void answer(EmbeddedChannel upstream, String response) {
        upstream.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aRetryWaitsItsBackOffOnTheEventLoopAndThenGoesOutOnAFreshAttempt() {
        start(RouteAction.newBuilder()
                .setTimeout(seconds(0))
                .setRetryPolicy(RetryPolicy.newBuilder()
                        .setRetryOn("5xx")
                        .setNumRetries(UInt32Value.of(1))
                        .setRetryBackOff(RetryPolicy.RetryBackOff.newBuilder()
                                .setBaseInterval(millis(2000))
                                .setMaxInterval(millis(2000)))));
        send("GET /r HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        drain(upstreams.get(0));

        answer(upstreams.get(0), "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n");
        downstream.runPendingTasks();

        // The first back-off is drawn from [0, base): nothing goes out until the timer fires.
        assertThat(drain(downstream)).isEmpty();
        assertThat(upstreams.stream().mapToInt(u -> drain(u).length()).sum()).isZero();
        advance(Duration.ofSeconds(2));
        String retried = upstreams.stream().map(ProxyExchangeTest::drain).reduce("", String::concat);
        assertThat(retried).startsWith("GET /r HTTP/1.1\r\n");

        EmbeddedChannel second = upstreams.get(upstreams.size() - 1);
        answer(second, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        downstream.runPendingTasks();
        assertThat(drain(downstream)).startsWith("HTTP/1.1 200 OK\r\n").endsWith("ok");
        assertThat(lastRecord().attempts()).isEqualTo(2);
        assertThat(lastRecord().flags()).isEmpty();
    }

    @Test
    void aPerTryTimeoutAbandonsTheAttemptRetriesAndAnswers504UtUrxWhenRetriesRunOut() {
        start(perTryTimeout(Duration.ofSeconds(2), 1));
        send("GET /slow HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        EmbeddedChannel first = upstreams.get(0);
        drain(first);

        advance(Duration.ofMillis(1999));
        assertThat(first.isOpen()).isTrue();
        advance(Duration.ofMillis(1));
        // A timed-out connection may still get its response: it is closed, never reused.
        assertThat(first.isOpen()).isFalse();
        assertThat(drain(downstream)).isEmpty();

        // Envoy's default back-off base is 25 ms; then the retry gets a per-try timeout of its own.
        advance(Duration.ofMillis(25));
        assertThat(upstreams).hasSize(2);
        assertThat(drain(upstreams.get(1))).startsWith("GET /slow HTTP/1.1\r\n");
        advance(Duration.ofSeconds(2));

        assertThat(drain(downstream)).startsWith("HTTP/1.1 504 Gateway Timeout\r\n");
        assertThat(lastRecord().flags())
                .containsExactly(ResponseFlag.UPSTREAM_REQUEST_TIMEOUT, ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
        assertThat(lastRecord().attempts()).isEqualTo(2);
        assertThat(fakes.get(HELLO).events()).hasSize(2);
    }

    @Test
    void theRouteTimeoutCoversEveryAttemptAndAnswers504Ut() {
        start(RouteAction.newBuilder()
                .setTimeout(seconds(3))
                .setRetryPolicy(RetryPolicy.newBuilder().setRetryOn("5xx").setNumRetries(UInt32Value.of(5))));
        send("GET /t HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        drain(upstreams.get(0));
        advance(Duration.ofSeconds(1));
        answer(upstreams.get(0), "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        advance(Duration.ofMillis(25));
        assertThat(upstreams).hasSize(2);

        advance(Duration.ofMillis(1974));
        assertThat(drain(downstream)).isEmpty();
        advance(Duration.ofMillis(1));

        assertThat(drain(downstream))
                .startsWith("HTTP/1.1 504 Gateway Timeout\r\n")
                .endsWith(LocalReplies.TIMEOUT);
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.UPSTREAM_REQUEST_TIMEOUT);
        assertThat(upstreams.get(1).isOpen()).isFalse();
        assertThat(downstream.isOpen()).isTrue();
    }

    @Test
    void aFaultDelayHoldsTheRequestForItsDurationBeforeItGoesUpstream() {
        start(
                noTimeout(),
                ListenerContext.DEFAULT_STREAM_IDLE_TIMEOUT,
                HTTPFault.newBuilder()
                        .setDelay(FaultDelay.newBuilder()
                                .setFixedDelay(seconds(3))
                                .setPercentage(FractionalPercent.newBuilder().setNumerator(100)))
                        .build());
        send("GET /d HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");

        advance(Duration.ofMillis(2999));
        assertThat(upstreams).isEmpty();
        advance(Duration.ofMillis(1));
        assertThat(drain(upstreams.get(0))).startsWith("GET /d HTTP/1.1\r\n");
        answer(upstreams.get(0), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        downstream.runPendingTasks();

        assertThat(drain(downstream)).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(lastRecord().flags()).containsExactly(ResponseFlag.DELAY_INJECTED);
    }

    @Test
    void aFailureWhenThePerTryTimeoutFiresIsAnswered500InsteadOfHangingTheClient() {
        start(perTryTimeout(Duration.ofSeconds(1), 2));
        send("GET /p HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        drain(upstreams.get(0));

        // Reporting the timeout to outlier detection throws: a bug on the per-try timer's path.
        balancers.failOutlierReports = true;
        advance(Duration.ofSeconds(1));

        assertThat(drain(downstream)).startsWith("HTTP/1.1 500 ");
        assertThat(lastRecord().status()).isEqualTo(500);
        assertThat(upstreams.get(0).isOpen()).isFalse();
        assertThat(downstream.isOpen()).isTrue();
    }

    @Test
    void aFailureWhenTheRouteTimeoutFiresIsAnswered500InsteadOfHangingTheClient() {
        start(RouteAction.newBuilder().setTimeout(seconds(2)));
        send("GET /q HTTP/1.1\r\nHost: " + AUTHORITY + "\r\n\r\n");
        drain(upstreams.get(0));

        balancers.failOutlierReports = true;
        advance(Duration.ofSeconds(2));

        assertThat(drain(downstream)).startsWith("HTTP/1.1 500 ");
        assertThat(lastRecord().status()).isEqualTo(500);
        assertThat(upstreams.get(0).isOpen()).isFalse();
        assertThat(downstream.isOpen()).isTrue();
    }

    /** {@link FakeLoadBalancerFactory}'s balancers, whose picks can be made to throw. */
    private final class FailingBalancers implements io.zonemesh.proxy.snapshot.LoadBalancerFactory {
        volatile boolean failPicks;
        /** Makes every local-origin failure report (a timeout, a reset) throw. */
        volatile boolean failOutlierReports;

        @Override
        public ClusterLoadBalancer create(
                String clusterName,
                io.zonemesh.lb.ClusterLbConfig config,
                List<HostSpec> hosts,
                io.zonemesh.common.Clock clock,
                RandomSource random,
                io.zonemesh.common.Scheduler scheduler) {
            ClusterLoadBalancer fake = fakes.create(clusterName, config, hosts, clock, random, scheduler);
            return new ClusterLoadBalancer() {
                @Override
                public @Nullable Host chooseHost(
                        long hashKey, Set<Host> excluded, Set<Integer> excludedPriorities, int hostSelectionRetries) {
                    if (failPicks) {
                        throw new IllegalStateException("injected: host pick failed");
                    }
                    return fake.chooseHost(hashKey, excluded, excludedPriorities, hostSelectionRetries);
                }

                @Override
                public void update(io.zonemesh.lb.ClusterLbConfig newConfig, List<HostSpec> newHosts) {
                    fake.update(newConfig, newHosts);
                }

                @Override
                public void onResponse(Host host, int httpStatus) {
                    fake.onResponse(host, httpStatus);
                }

                @Override
                public void onLocalOriginFailure(Host host, LocalOriginFailure kind) {
                    if (failOutlierReports) {
                        throw new IllegalStateException("injected: outlier report failed");
                    }
                    fake.onLocalOriginFailure(host, kind);
                }

                @Override
                public List<HostStatus> status() {
                    return fake.status();
                }

                @Override
                public io.zonemesh.lb.LbStats stats() {
                    return fake.stats();
                }

                @Override
                public void close() {
                    fake.close();
                }
            };
        }
    }
}

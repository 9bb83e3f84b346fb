package io.zonemesh.proxy.http;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.ClusterManager;
import io.zonemesh.proxy.snapshot.DnsResolver;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import io.zonemesh.proxy.snapshot.SnapshotPublisher;
import io.zonemesh.proxy.testing.FakeLoadBalancerFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.proxy.xds.XdsResourcesFixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Routing decisions and connection handling of the downstream pipeline, without sockets. */
@ExtendWith(NettyLeakCheck.class)
class DownstreamHandlerTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String EMPTY = "outbound|80||empty.sample.svc.cluster.local";

    private final FakeClock clock = new FakeClock();
    private final List<RequestRecord> records = new CopyOnWriteArrayList<>();
    private final ConnectionPools pools = new ConnectionPools(NioSocketChannel.class);
    private final DrainState drain = new DrainState();
    private SnapshotPublisher publisher;
    private EmbeddedChannel channel;

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        if (publisher != null) {
            publisher.shutdown();
        }
    }

    /**
     * http_proxy: helloworld.sample:5000 → HELLO (no endpoints: UH); empty.sample → EMPTY, which
     * is not a known cluster (NC); api.* → HELLO.
     */
    private Supplier<ProxySnapshot> configured() {
        publisher = new SnapshotPublisher(
                new ClusterManager(
                        new FakeLoadBalancerFactory(),
                        clock,
                        RandomSource.seeded(1),
                        clock,
                        new ClusterManager.Listener() {
                            @Override
                            public void onClusterAdded(ActiveCluster cluster) {}

                            @Override
                            public void onClusterRemoved(String clusterName) {}
                        }),
                new DnsResolver(DnsResolver.SYSTEM, Runnable::run, Runnable::run, clock));
        publisher.onResourcesChanged(XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", edsCluster(HELLO).build())
                .set(ResourceType.ENDPOINT, "1", cla(HELLO))
                .set(ResourceType.LISTENER, "1", outboundListener())
                .set(
                        ResourceType.ROUTE,
                        "1",
                        routeConfig(
                                "http_proxy",
                                virtualHost("hello", List.of("helloworld.sample:5000"), HELLO),
                                virtualHost("empty", List.of("empty.sample"), EMPTY),
                                virtualHost("api", List.of("api.*"), HELLO)))
                .build());
        return publisher::current;
    }

    private EmbeddedChannel channel(Supplier<ProxySnapshot> snapshots) {
        ListenerContext context = new ListenerContext(
                "virtualOutbound",
                Direction.OUTBOUND,
                snapshots,
                pools,
                records::add,
                clock,
                RandomSource.seeded(7),
                drain);
        channel = new EmbeddedChannel(
                new HttpServerCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_BYTES, HttpLimits.MAX_CHUNK),
                new RequestAggregator(),
                new DownstreamHandler(context));
        return channel;
    }

    private String exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf buffer;
        while ((buffer = channel.readOutbound()) != null) {
            out.append(buffer.toString(StandardCharsets.ISO_8859_1));
            buffer.release();
        }
        return out.toString();
    }

    private RequestRecord lastRecord() {
        return records.get(records.size() - 1);
    }

    @Test
    void answers404WithNoRouteBeforeAnyConfigurationArrived() {
        channel(() -> ProxySnapshot.EMPTY);

        String response = exchange("GET http://helloworld.sample:5000/hello HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(lastRecord().flag()).isEqualTo(ResponseFlag.NO_ROUTE);
        assertThat(lastRecord().authority()).isEqualTo("helloworld.sample:5000");
        assertThat(lastRecord().path()).isEqualTo("/hello");
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void answers404NrWhenNoVirtualHostMatchesTheAuthority() {
        channel(configured());

        String response = exchange("GET /hello HTTP/1.1\r\nHost: helloworld.sample:5001\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 404 ");
        assertThat(lastRecord().flag()).isEqualTo(ResponseFlag.NO_ROUTE);
        assertThat(lastRecord().cluster()).isNull();
    }

    @Test
    void answers503NcWhenTheRoutesClusterIsUnknown() {
        channel(configured());

        String response = exchange("GET http://empty.sample/ HTTP/1.1\r\nHost: empty.sample\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 503 Service Unavailable\r\n");
        assertThat(lastRecord().flag()).isEqualTo(ResponseFlag.NO_CLUSTER);
        assertThat(lastRecord().cluster()).isEqualTo(EMPTY);
    }

    @Test
    void answers503UhWhenTheClusterHasNoHostToPick() {
        channel(configured());

        String response = exchange("GET http://helloworld.sample:5000/hello HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 503 ").endsWith("no healthy upstream");
        assertThat(lastRecord().flag()).isEqualTo(ResponseFlag.NO_HEALTHY_UPSTREAM);
        assertThat(lastRecord().cluster()).isEqualTo(HELLO);
        assertThat(lastRecord().upstreamHost()).isNull();
    }

    @Test
    void routesTheAbsoluteFormByItsAuthorityRatherThanTheHostHeader() {
        channel(configured());

        exchange("GET http://empty.sample/x HTTP/1.1\r\nHost: helloworld.sample:5000\r\n\r\n");
        assertThat(lastRecord().cluster()).isEqualTo(EMPTY);

        exchange("GET /x HTTP/1.1\r\nHost: API.example.com\r\n\r\n");
        assertThat(lastRecord().cluster()).isEqualTo(HELLO);
    }

    @Test
    void answers400WhenTheRequestNamesNoAuthority() {
        channel(configured());

        String response = exchange("GET /hello HTTP/1.0\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 ");
        assertThat(lastRecord().flag()).isEqualTo(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
    }

    @Test
    void keepsKeepAliveConnectionsOpenAndHonoursConnectionClose() {
        channel(configured());

        String first = exchange("GET /a HTTP/1.1\r\nHost: nowhere\r\n\r\n");
        assertThat(first).doesNotContainIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isTrue();

        String second = exchange("GET /b HTTP/1.1\r\nHost: nowhere\r\nConnection: close\r\n\r\n");
        assertThat(second).containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10ClientsGetKeepAliveOnlyWhenTheyAskForIt() {
        channel(configured());

        String kept = exchange("GET /a HTTP/1.0\r\nHost: nowhere\r\nConnection: keep-alive\r\n\r\n");
        assertThat(kept).containsIgnoringCase("connection: keep-alive");
        assertThat(channel.isOpen()).isTrue();

        String closed = exchange("GET /a HTTP/1.0\r\nHost: nowhere\r\n\r\n");
        assertThat(closed).containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersPipelinedRequestsInOrder() {
        channel(configured());

        String responses = exchange("GET /1 HTTP/1.1\r\nHost: nowhere\r\n\r\n"
                + "GET http://empty.sample/2 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /3 HTTP/1.1\r\nHost: nowhere\r\n\r\n");

        assertThat(responses.split("HTTP/1.1 "))
                .extracting(s -> s.isEmpty() ? "" : s.substring(0, 3))
                .containsExactly("", "404", "503", "404");
        assertThat(records).extracting(RequestRecord::path).containsExactly("/1", "/2", "/3");
    }

    @Test
    void aBodyPastTheRetryBufferIsStreamedAndAnAnswerBeforeItsEndClosesTheConnection() {
        channel(configured());

        // No 413 as before: the body would stream upstream; this route's cluster has no host.
        String response = exchange("POST /upload HTTP/1.1\r\nHost: helloworld.sample:5000\r\nContent-Length: "
                + (10L << 30) + "\r\n\r\n" + "x".repeat(RequestAggregator.RETRY_BUFFER_BYTES + 1));

        assertThat(response).startsWith("HTTP/1.1 503 ").containsIgnoringCase("connection: close");
        assertThat(lastRecord().flag()).isEqualTo(ResponseFlag.NO_HEALTHY_UPSTREAM);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void malformedRequestsAreAnsweredWithTheMatchingStatusAndClosed() {
        channel(configured());
        assertThat(exchange("GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n")).startsWith("HTTP/1.1 400 ");
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();

        channel(configured());
        String huge = "x".repeat(HttpLimits.MAX_HEADER_BYTES + 1);
        assertThat(exchange("GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + huge + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        channel.finishAndReleaseAll();

        channel(configured());
        String longUri = "/" + "u".repeat(HttpLimits.MAX_INITIAL_LINE + 1);
        assertThat(exchange("GET " + longUri + " HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 414 ");
    }

    @Test
    void drainingClosesIdleConnectionsAndMarksResponsesConnectionClose() {
        channel(configured());
        exchange("GET /a HTTP/1.1\r\nHost: nowhere\r\n\r\n");

        drain.start();
        String response = exchange("GET /b HTTP/1.1\r\nHost: nowhere\r\n\r\n");

        assertThat(response).containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();

        channel(configured());
        channel.pipeline().get(DownstreamHandler.class).onDrain();
        advance(DrainState.IDLE_CLOSE_GRACE);
        assertThat(channel.isOpen()).isFalse();
    }

    private void advance(java.time.Duration by) {
        channel.advanceTimeBy(by.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void drainingLeavesAKeepAliveConnectionOpenWhileItMayHaveARequestOnTheWay() {
        channel(configured());
        exchange("GET /a HTTP/1.1\r\nHost: nowhere\r\n\r\n");

        drain.start();
        channel.pipeline().get(DownstreamHandler.class).onDrain();
        // Not closed at once: the client may have sent its next request already.
        assertThat(channel.isOpen()).isTrue();
        // It did: its response closes the connection.
        String response = exchange("GET /b HTTP/1.1\r\nHost: nowhere\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 404 ").containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void drainingNeverClosesAConnectionInTheMiddleOfReadingARequest() {
        channel(configured());
        exchange("POST /upload HTTP/1.1\r\nHost: nowhere\r\nContent-Length: 10\r\n\r\nhello");

        drain.start();
        channel.pipeline().get(DownstreamHandler.class).onDrain();
        advance(DrainState.IDLE_CLOSE_GRACE.multipliedBy(3));
        assertThat(channel.isOpen()).isTrue();
        String response = exchange("world");

        assertThat(response).startsWith("HTTP/1.1 404 ").containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }
}

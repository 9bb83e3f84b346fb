package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8's idle-connection flood over real sockets: silent connections are closed by the
 * request-headers timeout armed at accept, a listener past its connection limit answers 503
 * "envoy overloaded", and a dead event loop takes {@code /ready} down.
 */
@ExtendWith(NettyLeakCheck.class)
class DownstreamLimitsEndToEndTest {
    private static final String HELLO = "http://" + ProxyFixture.AUTHORITY + "/hello";
    private static EventLoopGroup group;
    private ProxyFixture fixture;
    private final List<SocketChannel> sockets = new ArrayList<>();

    @BeforeAll
    static void startGroup() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("DownstreamLimitsEndToEndTest"));
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void tearDown() throws IOException {
        for (SocketChannel socket : sockets) {
            socket.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private void start(UnaryOperator<ProxyOptions.Builder> options) {
        fixture = new ProxyFixture(group, options).start(ProxyFixture.cluster().build());
    }

    private SocketChannel connectSilently() {
        try {
            SocketChannel socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", fixture.port()));
            socket.configureBlocking(false);
            sockets.add(socket);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the proxy closed {@code socket} (end of stream or reset); drains what came. */
    private static boolean closedByProxy(SocketChannel socket) {
        try {
            ByteBuffer sink = ByteBuffer.allocate(512);
            int read;
            while ((read = socket.read(sink)) > 0) {
                sink.clear();
            }
            return read < 0;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void hundredsOfSilentConnectionsAreClosedByTheHeadersTimeoutAndTheProxyKeepsServing() {
        start(b -> b.requestHeadersTimeout(Duration.ofMillis(500)));
        for (int i = 0; i < 300; i++) {
            connectSilently();
        }

        await().atMost(ProxyFixture.WAIT)
                .until(() -> sockets.stream().allMatch(DownstreamLimitsEndToEndTest::closedByProxy));

        assertThat(RawHttpClient.get(fixture.port(), HELLO).status()).isEqualTo(200);
        assertThat(fixture.upstream.requests()).isEqualTo(1);
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() {
        start(b -> b.idleTimeout(Duration.ofMillis(300)));
        try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
            Response response =
                    client.send("GET " + HELLO + " HTTP/1.1\r\nHost: " + ProxyFixture.AUTHORITY + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);

            assertThat(client.closedByPeer()).isTrue();
        }
    }

    @Test
    void aListenerAtItsConnectionLimitAnswers503AndServesAgainOnceBelow() {
        start(b -> b.maxConnectionsPerListener(3));
        List<SocketChannel> held = List.of(connectSilently(), connectSilently(), connectSilently());
        await().atMost(ProxyFixture.WAIT).until(() -> fixture.proxy.outboundConnectionCount() == 3);

        try (RawHttpClient overflowing = RawHttpClient.connect(fixture.port())) {
            Response response = overflowing.read();
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("envoy overloaded");
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(overflowing.closedByPeer()).isTrue();
        }
        assertThat(fixture.upstream.requests()).isZero();
        // Envoy's listener stat downstream_cx_overflow, on the admin port.
        assertThat(RawHttpClient.get(fixture.proxy.adminPort(), "http://admin/stats/prometheus")
                        .body())
                .contains("zonemesh_listener_downstream_cx_overflow_total{listener=\"virtualOutbound\"} 1.0");

        try {
            held.get(0).close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(ProxyFixture.WAIT).until(() -> fixture.proxy.outboundConnectionCount() == 2);
        assertThat(RawHttpClient.get(fixture.port(), HELLO).status()).isEqualTo(200);
    }

    @Test
    void readyFailsOnceAnEventLoopOfTheProxyDied() {
        EventLoopGroup proxyGroup = Transport.preferred().newGroup(2, new DefaultThreadFactory("dying-proxy"));
        try {
            start(b -> b.eventLoopGroup(proxyGroup));
            String ready = "http://127.0.0.1:" + fixture.proxy.adminPort() + "/ready";
            assertThat(RawHttpClient.get(fixture.proxy.adminPort(), ready).body())
                    .isEqualTo("LIVE\n");

            // What an Error thrown out of Netty's I/O loop does: the loop's thread ends. Pick the
            // loop the admin server is not on, so that /ready can still be asked.
            EventLoop victim = null;
            for (io.netty.util.concurrent.EventExecutor loop : proxyGroup) {
                if (!loop.equals(fixture.proxy.adminEventLoop())) {
                    victim = (EventLoop) loop;
                }
            }
            victim.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();

            await().atMost(ProxyFixture.WAIT).until(() -> !fixture.proxy.ready());
            // Admin connections are spread over both loops: those given to the dead one are closed.
            await().atMost(ProxyFixture.WAIT).ignoreExceptions().untilAsserted(() -> {
                Response response = RawHttpClient.get(fixture.proxy.adminPort(), ready);
                assertThat(response.status()).isEqualTo(503);
                assertThat(response.body()).startsWith("FAILED: event loop").contains("terminated");
            });
        } finally {
            fixture.close();
            fixture = null;
            proxyGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}

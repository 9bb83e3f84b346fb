package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.zonemesh.proxy.config.CircuitBreakerThresholds;
import io.zonemesh.proxy.config.UpstreamHttpOptions;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Netty's proxy rule on real sockets: an upstream connection lives on the event loop that asked
 * for it (the downstream channel's), and an idle one is only reused by that same loop.
 */
@ExtendWith(NettyLeakCheck.class)
class ConnectionPoolsTest {
    private static final UpstreamHttpOptions OPTIONS = UpstreamHttpOptions.ENVOY_DEFAULTS;

    private EventLoopGroup group;
    private EchoServer server;
    private ConnectionPools pools;
    private PoolKey key;
    private final CircuitBreakers breakers = new CircuitBreakers(CircuitBreakerThresholds.ENVOY_DEFAULTS);

    @BeforeEach
    void setUp() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new EchoServer("upstream", group);
        pools = new ConnectionPools(NioSocketChannel.class);
        key = new PoolKey("cluster", "127.0.0.1", server.port(), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (var done : pools.closeAll()) {
            done.get(10, TimeUnit.SECONDS);
        }
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private PooledConnection acquire(EventLoop loop) throws Exception {
        return loop.submit(() -> pools.acquire(loop, key, Duration.ofSeconds(5), OPTIONS, breakers, null, false))
                .get(10, TimeUnit.SECONDS)
                .get(10, TimeUnit.SECONDS);
    }

    private void release(PooledConnection connection) throws Exception {
        connection
                .channel
                .eventLoop()
                .submit(() -> pools.release(connection, true, OPTIONS))
                .get(10, TimeUnit.SECONDS);
    }

    private PooledConnection pollIdle(EventLoop loop) throws Exception {
        return loop.submit(() -> pools.pollIdle(loop, key, OPTIONS)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void upstreamConnectionsLiveOnTheEventLoopThatAskedAndAreReusedOnlyThere() throws Exception {
        EventLoop first = group.next();
        EventLoop second = group.next();
        assertThat(second).isNotSameAs(first);

        PooledConnection a = acquire(first);
        PooledConnection b = acquire(second);
        assertThat(a.channel.eventLoop()).isSameAs(first);
        assertThat(b.channel.eventLoop()).isSameAs(second);

        release(a);
        assertThat(pollIdle(second)).isNull();
        release(b);
        PooledConnection reused = pollIdle(first);
        assertThat(reused).isSameAs(a);
        assertThat(reused.reused).isTrue();
        assertThat(pollIdle(second)).isSameAs(b);
        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }
}

package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A connection's HTTP/1.1 handlers are built by its first byte, not at accept. */
@ExtendWith(NettyLeakCheck.class)
class Http1InstallerTest {
    private final ConnectionPools pools = new ConnectionPools(NioSocketChannel.class);
    private final ListenerContext context = new ListenerContext(
            "virtualOutbound",
            Direction.OUTBOUND,
            () -> ProxySnapshot.EMPTY,
            pools,
            record -> {},
            new FakeClock(),
            RandomSource.seeded(1),
            new DrainState());
    private final ConnectionTimeouts timeouts = new ConnectionTimeouts(Duration.ofSeconds(10), Duration.ofHours(1));
    private final EmbeddedChannel channel =
            new EmbeddedChannel(timeouts.byteWatcher(), new Http1Installer(context), timeouts);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aSilentConnectionHasNoCodecOrExchangeQueue() {
        assertThat(channel.pipeline().get(HttpServerCodec.class)).isNull();
        assertThat(channel.pipeline().get(Http1RequestScanner.class)).isNull();
        assertThat(channel.pipeline().get(DownstreamHandler.class)).isNull();
    }

    @Test
    void theFirstByteBuildsTheHandlersInOrderAndItsRequestIsServed() {
        channel.writeInbound(Unpooled.copiedBuffer(
                "GET http://a.example/ HTTP/1.1\r\nHost: a.example\r\n\r\n", StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();

        assertThat(channel.pipeline().get(Http1Installer.class)).isNull();
        assertThat(channel.pipeline().names())
                .containsSubsequence(
                        channel.pipeline().context(Http1RequestScanner.class).name(),
                        channel.pipeline().context(HttpServerCodec.class).name(),
                        channel.pipeline().context(ConnectionTimeouts.class).name(),
                        channel.pipeline().context(RequestAggregator.class).name(),
                        channel.pipeline().context(DownstreamHandler.class).name());
        ByteBuf response = channel.readOutbound();
        // No configuration yet: the exchange answers 404 NR, so the request went all the way through.
        assertThat(response.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 404 Not Found");
        response.release();
    }
}

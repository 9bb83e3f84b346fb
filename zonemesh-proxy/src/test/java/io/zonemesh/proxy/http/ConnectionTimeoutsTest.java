package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The header and idle timers on an embedded pipeline, with the channel's own scheduler clock. */
@ExtendWith(NettyLeakCheck.class)
class ConnectionTimeoutsTest {
    private final ConnectionTimeouts timeout = new ConnectionTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60));
    private final EmbeddedChannel channel = new EmbeddedChannel(timeout.byteWatcher(), new HttpServerCodec(), timeout);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private void releaseInbound() {
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    @Test
    void firesTenSecondsAfterTheFirstByteOfIncompleteHeaders() {
        // EmbeddedChannel's clock also moves with real time, hence whole seconds.
        send("GET / HTTP/1.1\r\nHost: a");
        elapse(channel, 9, TimeUnit.SECONDS);
        assertThat((Object) channel.readOutbound()).isNull();

        elapse(channel, 1, TimeUnit.SECONDS);

        ByteBuf written = channel.readOutbound();
        assertThat(written.toString(StandardCharsets.US_ASCII))
                .startsWith("HTTP/1.1 408 Request Timeout")
                .contains("connection: close")
                .endsWith("request header timeout");
        written.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void completeHeadersDisarmItAndABodyMayTakeLonger() {
        send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab");
        elapse(channel, 60, TimeUnit.SECONDS);
        send("cd");
        releaseInbound();

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRequestInFlightIsNotTimedOut() {
        send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        releaseInbound();
        elapse(channel, 120, TimeUnit.SECONDS);

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aConnectionThatNeverSendsAByteIsClosedSilentlyAtTheHeadersTimeout() {
        elapse(channel, 9, TimeUnit.SECONDS);
        assertThat(channel.isOpen()).isTrue();

        elapse(channel, 1, TimeUnit.SECONDS);

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aKeepAliveConnectionIsClosedSilentlyAfterTheIdleTimeout() {
        send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        releaseInbound();
        respond();
        elapse(channel, 59, TimeUnit.SECONDS);
        assertThat(channel.isOpen()).isTrue();

        elapse(channel, 1, TimeUnit.SECONDS);
        elapse(channel, 1, TimeUnit.SECONDS);

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theNextRequestDisarmsTheIdleTimer() {
        send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        releaseInbound();
        respond();
        elapse(channel, 50, TimeUnit.SECONDS);
        send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
        releaseInbound();
        elapse(channel, 100, TimeUnit.SECONDS);

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aSwitchedProtocolStopsBothTimers() {
        send("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
        releaseInbound();
        channel.writeOutbound(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
        releaseOutbound();
        elapse(channel, 2, TimeUnit.HOURS);

        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void manySilentConnectionsAreAllClosedByTheHeadersTimeout() {
        List<EmbeddedChannel> connections = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ConnectionTimeouts timeouts = new ConnectionTimeouts(Duration.ofSeconds(10), Duration.ofHours(1));
            connections.add(new EmbeddedChannel(timeouts.byteWatcher(), new HttpServerCodec(), timeouts));
        }
        for (EmbeddedChannel connection : connections) {
            elapse(connection, 10, TimeUnit.SECONDS);
        }

        assertThat(connections).noneMatch(EmbeddedChannel::isOpen);
        connections.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /**
     * Moves the channel's clock and runs what is due. The clock also moves with real time, so a
     * timer rearmed a few real milliseconds after it was first armed is due a little later than
     * whole seconds, and its pending task then reschedules itself for that remainder when it
     * fires (RearmableTimer): the tests check a deadline a second short and, in two steps, past it.
     */
    private static void elapse(EmbeddedChannel channel, long amount, TimeUnit unit) {
        channel.advanceTimeBy(amount, unit);
        channel.runScheduledPendingTasks();
    }

    private void respond() {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        channel.writeOutbound(response);
        releaseOutbound();
    }

    private void releaseOutbound() {
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}

package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The header timer on an embedded pipeline, with the channel's own scheduler clock. */
@ExtendWith(NettyLeakCheck.class)
class RequestHeadersTimeoutTest {
    private final RequestHeadersTimeout timeout = new RequestHeadersTimeout(Duration.ofSeconds(10));
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
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        ByteBuf written = channel.readOutbound();
        assertThat(written.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 408 Request Timeout")
                .contains("connection: close").endsWith("request header timeout");
        written.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void completeHeadersDisarmItAndABodyMayTakeLonger() {
        send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab");
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        send("cd");
        releaseInbound();

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void anIdleKeepAliveConnectionIsNotTimedOut() {
        send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        releaseInbound();
        channel.advanceTimeBy(60, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
    }
}

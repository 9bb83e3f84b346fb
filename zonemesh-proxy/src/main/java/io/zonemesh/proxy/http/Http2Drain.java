package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The drain of a downstream HTTP/2 connection, as Envoy's {@code ConnectionManagerImpl}
 * {@code startDrainSequence}/{@code onDrainTimeout}: at once a GOAWAY with NO_ERROR and the last
 * stream id 2^31-1 (nghttp2's shutdown notice: the client opens no more streams, and those it
 * opened meanwhile are still served), then after the HCM's {@code drain_timeout} (5 s by
 * default) a GOAWAY with the last stream actually received, and the connection closes once its
 * streams have finished (Netty's graceful shutdown of the HTTP/2 handler). The per-stream
 * {@link DownstreamHandler}s live on child channels, so the listener's drain finds this handler on
 * the connection instead. Event-loop confined; sits right after the frame codec.
 */
final class Http2Drain extends ChannelInboundHandlerAdapter {
    /** Envoy's HCM {@code drain_timeout} default, which Istio leaves as is. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private @Nullable ChannelHandlerContext ctx;
    private @Nullable ScheduledFuture<?> finalGoAway;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** Starts the drain sequence; a second call does nothing. Call on the connection's event loop. */
    void onDrain() {
        ChannelHandlerContext context = ctx;
        if (context == null || finalGoAway != null || !context.channel().isActive()) {
            return;
        }
        // Netty adds extraStreamIds x 2 to the last stream created and caps it at 2^31-1.
        context.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
        finalGoAway = context.executor()
                .schedule(
                        () -> {
                            context.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
                            // With a GOAWAY sent, Netty's HTTP/2 handler closes once the active streams are done.
                            context.channel().close();
                        },
                        DRAIN_TIMEOUT.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ScheduledFuture<?> pending = finalGoAway;
        if (pending != null) {
            pending.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}

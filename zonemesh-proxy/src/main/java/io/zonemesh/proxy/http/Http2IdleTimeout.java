package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Stream;
import io.zonemesh.common.Nullable;
import java.time.Duration;

/**
 * Envoy's HCM {@code idle_timeout} on a downstream HTTP/2 connection: armed while no stream is
 * active (from the preface on), disarmed by the next stream; on expiry the connection is closed,
 * which Netty's HTTP/2 handler does with a GOAWAY, as Envoy's drain sequence. Without it a
 * client could park connections that finished the preface and then sent nothing. Event-loop
 * confined; sits right after the frame codec.
 */
final class Http2IdleTimeout extends ChannelInboundHandlerAdapter {
    private final Http2Connection connection;
    private final long timeoutNanos;
    private @Nullable RearmableTimer timer;

    Http2IdleTimeout(Http2Connection connection, Duration timeout) {
        this.connection = connection;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        RearmableTimer idle = new RearmableTimer(ctx.executor(), () -> {
            if (connection.numActiveStreams() == 0) {
                ctx.close();
            }
        });
        timer = idle;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                idle.disarm();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (connection.numActiveStreams() == 0 && ctx.channel().isActive()) {
                    idle.arm(timeoutNanos);
                }
            }
        });
        idle.arm(timeoutNanos);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel();
        }
        ctx.fireChannelInactive();
    }
}

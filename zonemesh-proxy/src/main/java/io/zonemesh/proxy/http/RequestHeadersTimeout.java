package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.Objects;

/**
 * Envoy's HCM {@code request_headers_timeout}, on by default here (RELIABILITY.md: slowloris):
 * armed by the first byte of a request, disarmed once its headers are complete; on expiry the
 * client gets 408 "request header timeout" and the connection closes. Two handlers share the
 * state: {@link #byteWatcher()} before the HTTP codec sees raw bytes, this one after it sees
 * the decoded request. Event-loop confined.
 */
final class RequestHeadersTimeout extends ChannelInboundHandlerAdapter {
    static final String BODY = "request header timeout";

    private final Duration timeout;
    private @Nullable ChannelHandlerContext ctx;
    /** Armed per request on a keep-alive connection: a rearmable timer instead of a task each time. */
    private @Nullable RearmableTimer timer;
    /** Between a request's headers and its last content, bytes are body, not headers. */
    private boolean inBody;

    RequestHeadersTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** The handler to put before the HTTP codec. */
    ChannelHandler byteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext raw, Object msg) {
                if (!inBody && timer != null && !timer.armed()) {
                    timer.arm(timeout.toNanos());
                }
                raw.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.timer = new RearmableTimer(ctx.executor(), this::onTimeout);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            Objects.requireNonNull(timer, "set in handlerAdded").disarm();
            inBody = true;
        }
        if (msg instanceof LastHttpContent) {
            inBody = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel();
        }
        ctx.fireChannelInactive();
    }

    private void onTimeout() {
        ChannelHandlerContext context = ctx;
        if (context == null || !context.channel().isActive()) {
            return;
        }
        FullHttpResponse response = LocalReplies.create(context.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, BODY);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        context.writeAndFlush(response).addListener(f -> context.close());
    }
}

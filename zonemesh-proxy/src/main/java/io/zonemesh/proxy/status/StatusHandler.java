package io.zonemesh.proxy.status;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** Answers {@code /healthz/ready} from {@link State}; every other path is 404. */
final class StatusHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final State state;

    StatusHandler(State state) {
        this.state = state;
    }

    /** Readiness as the status port reports it: the proxy's, unless draining. */
    static final class State {
        private final BooleanSupplier ready;
        private volatile boolean draining;

        State(BooleanSupplier ready) {
            this.ready = ready;
        }

        void drain() {
            draining = true;
        }

        /** The status and body of a readiness answer. */
        HttpResponseStatus status() {
            return !draining && ready.getAsBoolean() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        }

        String body(HttpResponseStatus status) {
            if (status.equals(HttpResponseStatus.OK)) {
                return "LIVE\n";
            }
            // The admin port's /ready says which of the two (no configuration yet, or a dead loop).
            return draining ? "DRAINING\n" : "NOT_READY: no xDS configuration applied yet, or an event loop died\n";
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpResponseStatus status;
        String body;
        String path = new QueryStringDecoder(request.uri()).path();
        boolean head = request.method().equals(HttpMethod.HEAD);
        if (!path.equals(StatusServer.READY_PATH)) {
            status = HttpResponseStatus.NOT_FOUND;
            body = "not found: " + path + " (the status port serves " + StatusServer.READY_PATH + ")\n";
        } else if (!head && !request.method().equals(HttpMethod.GET)) {
            status = HttpResponseStatus.METHOD_NOT_ALLOWED;
            body = request.method() + " " + path + " (expected: GET or HEAD)\n";
        } else {
            status = state.status();
            body = state.body(status);
        }
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.getBytes(StandardCharsets.UTF_8).length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A malformed request or a reset connection: nothing to answer.
        ctx.close();
    }
}

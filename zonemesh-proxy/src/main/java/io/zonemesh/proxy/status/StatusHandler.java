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
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.zonemesh.common.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Answers {@code /healthz/ready} from {@link State} and, with an {@link AppProber}, Istio's
 * {@code /app-health/<container>/<probe>} paths; every other path is 404.
 */
final class StatusHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String APP_HEALTH = "/app-health/";

    private final State state;
    private final @Nullable AppProber prober;

    StatusHandler(State state, @Nullable AppProber prober) {
        this.state = state;
        this.prober = prober;
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
        AppProbe probe = prober == null || !path.startsWith(APP_HEALTH) ? null : prober.probe(path);
        if (probe != null) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpVersion version = request.protocolVersion();
            Objects.requireNonNull(prober)
                    .run(probe, ctx.channel().eventLoop(), request.headers().copy())
                    .addListener(f -> {
                        HttpResponseStatus app = (HttpResponseStatus) f.getNow();
                        respond(ctx, version, keepAlive, head, app, app.code() + " from " + path + "\n");
                    });
            return;
        }
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
        respond(ctx, request.protocolVersion(), HttpUtil.isKeepAlive(request), head, status, body);
    }

    private static void respond(
            ChannelHandlerContext ctx,
            HttpVersion version,
            boolean keepAlive,
            boolean head,
            HttpResponseStatus status,
            String body) {
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.getBytes(StandardCharsets.UTF_8).length);
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

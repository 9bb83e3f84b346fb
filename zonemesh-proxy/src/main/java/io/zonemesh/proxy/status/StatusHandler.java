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
import java.util.function.Supplier;

/**
 * Answers {@code /healthz/ready} from {@link State} (unless it serves only stats), with an
 * {@link AppProber} Istio's {@code /app-health/<container>/<probe>} paths, and with a stats source
 * {@code /stats/prometheus}; every other path is 404.
 */
final class StatusHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String APP_HEALTH = "/app-health/";
    /** The Prometheus text exposition format's content type. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final State state;
    private final @Nullable AppProber prober;
    private final @Nullable Supplier<String> stats;
    private final boolean readiness;

    StatusHandler(State state, @Nullable AppProber prober) {
        this(state, prober, null, true);
    }

    /**
     * @param stats the proxy's metrics in Prometheus text, null to serve none
     * @param readiness whether {@code /healthz/ready} is served (not on Envoy's 15090 stats listener)
     */
    StatusHandler(State state, @Nullable AppProber prober, @Nullable Supplier<String> stats, boolean readiness) {
        this.state = state;
        this.prober = prober;
        this.stats = stats;
        this.readiness = readiness;
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
        if (stats != null
                && path.equals(StatusServer.STATS_PATH)
                && (head || request.method().equals(HttpMethod.GET))) {
            respond(
                    ctx,
                    request.protocolVersion(),
                    HttpUtil.isKeepAlive(request),
                    head,
                    HttpResponseStatus.OK,
                    stats.get(),
                    PROMETHEUS_TEXT);
            return;
        }
        if (!readiness || !path.equals(StatusServer.READY_PATH)) {
            status = HttpResponseStatus.NOT_FOUND;
            body = "not found: " + path + " (the status port serves "
                    + (readiness ? StatusServer.READY_PATH : StatusServer.STATS_PATH) + ")\n";
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
        respond(ctx, version, keepAlive, head, status, body, "text/plain; charset=UTF-8");
    }

    private static void respond(
            ChannelHandlerContext ctx,
            HttpVersion version,
            boolean keepAlive,
            boolean head,
            HttpResponseStatus status,
            String body,
            String contentType) {
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(version, status, content);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
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

package io.zonemesh.proxy.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.http.RequestTarget;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches admin requests; state-changing endpoints require POST, as in Envoy. */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=UTF-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String HELP = """
            admin commands are:
              /: this help
              /certs: the workload certificate (SDS default) and roots (ROOTCA), Envoy's shape
              /clusters: upstream cluster status (?format=json)
              /config_dump: the xDS resources in force (?include_eds: with the endpoint assignments)
              /drain_listeners (POST): drain listeners (?graceful, ?inboundonly)
              /listeners: the bound listeners as name::address
              /ready: LIVE once the first full configuration is applied (503 once an event loop died)
              /stats: counters and gauges
              /stats/prometheus: all metrics in Prometheus text format
              /xds: the ADS stream state, last ACKed version and last NACK per type
              /zonemesh/failover_events: the last locality failovers (time, cluster, reason, priorities before and after), newest first
            """;

    private final AdminContext context;
    /** The previous request's reply, written or to be written; one handler serves one channel. */
    private CompletableFuture<Void> lastReply = CompletableFuture.completedFuture(null);

    AdminHandler(AdminContext context) {
        this.context = context;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        CompletableFuture<Reply> reply;
        try {
            reply = handle(request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        // The request is released when this returns; a reply completing later needs only these.
        String uri = request.uri();
        CompletableFuture<Reply> answered = reply.handle((r, failure) -> {
            if (failure == null) {
                return r;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            log.warn("admin request {} failed", uri, cause);
            return new Reply(HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "error: " + cause.getMessage() + "\n");
        });
        // HTTP/1.1 answers pipelined requests in order: a reply waits for the one before it, and
        // every reply is written from the channel's event loop (this field stays confined to it).
        lastReply = lastReply
                .thenCombine(answered, (previous, r) -> r)
                .thenAcceptAsync(r -> respond(ctx, keepAlive, r), ctx.executor())
                .exceptionally(e -> {
                    // A closed channel's loop may refuse the write; later replies must not wait on it.
                    log.debug("admin reply to {} not written", uri, e);
                    return null;
                });
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, Reply reply) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, reply.status, ByteBufUtil.writeUtf8(ctx.alloc(), reply.body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, reply.contentType)
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * The reply, complete at once except for {@code /config_dump} while {@link EnvoyTypeRegistry}
     * is still being built (on its own thread: the event loop never waits for it).
     */
    private CompletableFuture<Reply> handle(FullHttpRequest request) throws InvalidProtocolBufferException {
        // Tolerate the absolute form (a client configured with an HTTP proxy) as Envoy's admin does.
        RequestTarget target = RequestTarget.of(request);
        QueryStringDecoder query = new QueryStringDecoder(target != null ? target.path() : request.uri());
        if (query.path().equals("/config_dump")
                && (request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD))) {
            // Envoy's flag is present-or-not; istioctl sends include_eds=true.
            boolean includeEds = query.parameters().containsKey("include_eds");
            ConfigDump dump =
                    ConfigDumpPage.configDump(context.snapshots().get().resources(), includeEds);
            return EnvoyTypeRegistry.get()
                    .thenApply(types -> new Reply(HttpResponseStatus.OK, JSON, printed(dump, types)));
        }
        return CompletableFuture.completedFuture(handleNow(request, query));
    }

    private static String printed(ConfigDump dump, JsonFormat.TypeRegistry types) {
        try {
            return ConfigDumpPage.json(dump, types);
        } catch (InvalidProtocolBufferException e) {
            throw new CompletionException(e);
        }
    }

    private Reply handleNow(FullHttpRequest request, QueryStringDecoder query) throws InvalidProtocolBufferException {
        String path = query.path();
        boolean get =
                request.method().equals(HttpMethod.GET) || request.method().equals(HttpMethod.HEAD);
        if (path.equals("/drain_listeners")) {
            if (!request.method().equals(HttpMethod.POST)) {
                return new Reply(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "This endpoint requires POST.\n");
            }
            context.drainer()
                    .drainListeners(
                            query.parameters().containsKey("graceful"),
                            query.parameters().containsKey("inboundonly"));
            return new Reply(HttpResponseStatus.OK, TEXT, "OK\n");
        }
        if (!get) {
            return new Reply(HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "This endpoint requires GET.\n");
        }
        ProxySnapshot snapshot = context.snapshots().get();
        switch (path) {
            case "/":
                return new Reply(HttpResponseStatus.OK, TEXT, HELP);
            case "/ready":
                String fatal = context.fatalError().get();
                if (fatal != null) {
                    // Envoy has no such state: its watchdog kills a stuck process instead. A dead
                    // event loop never serves again, so the proxy must be taken out of rotation.
                    return new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "FAILED: " + fatal + "\n");
                }
                // Envoy answers LIVE once initialized, and 503 with the state before.
                return snapshot.ready() && context.certificateReady().getAsBoolean()
                        ? new Reply(HttpResponseStatus.OK, TEXT, "LIVE\n")
                        : new Reply(HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "PRE_INITIALIZING\n");
            case "/clusters":
                if ("json".equals(first(query, "format"))) {
                    return new Reply(
                            HttpResponseStatus.OK,
                            JSON,
                            ConfigDumpPage.json(ClustersPage.json(snapshot, context.pools())));
                }
                return new Reply(HttpResponseStatus.OK, TEXT, ClustersPage.text(snapshot, context.pools()));
            case "/stats/prometheus":
                return new Reply(
                        HttpResponseStatus.OK, PROMETHEUS, context.metrics().scrape());
            case "/stats":
                return new Reply(HttpResponseStatus.OK, TEXT, stats());
            case "/listeners":
                // Envoy's format: one "name::address" line per listener.
                StringBuilder listeners = new StringBuilder();
                context.listeners()
                        .get()
                        .forEach((name, address) -> listeners
                                .append(name)
                                .append("::")
                                .append(address.getAddress().getHostAddress())
                                .append(':')
                                .append(address.getPort())
                                .append('\n'));
                return new Reply(HttpResponseStatus.OK, TEXT, listeners.toString());
            case "/certs":
                return new Reply(
                        HttpResponseStatus.OK,
                        JSON,
                        CertsPage.json(
                                context.workloadSecret().get(), context.clock().currentTimeMillis()));
            case "/zonemesh/failover_events":
                return new Reply(HttpResponseStatus.OK, JSON, ConfigDumpPage.json(FailoverEventsPage.json(snapshot)));
            case "/xds":
                return new Reply(
                        HttpResponseStatus.OK,
                        JSON,
                        ConfigDumpPage.json(XdsPage.status(context.xdsStatus().get())));
            default:
                return new Reply(HttpResponseStatus.NOT_FOUND, TEXT, "invalid path. " + HELP);
        }
    }

    /** One {@code name{tags}: value} line per measurement, sorted. */
    private String stats() {
        List<String> lines = new ArrayList<>();
        for (Meter meter : context.metrics().registry().getMeters()) {
            String tags = meter.getId().getTags().stream()
                    .map(t -> t.getKey() + "=" + t.getValue())
                    .collect(Collectors.joining(","));
            String name = meter.getId().getName() + (tags.isEmpty() ? "" : "{" + tags + "}");
            for (Measurement m : meter.measure()) {
                lines.add(name + "." + m.getStatistic().getTagValueRepresentation() + ": " + m.getValue());
            }
        }
        lines.sort(null);
        return String.join("\n", lines) + "\n";
    }

    private static @Nullable String first(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection failed", cause);
        ctx.close();
    }

    private record Reply(HttpResponseStatus status, String contentType, String body) {}
}

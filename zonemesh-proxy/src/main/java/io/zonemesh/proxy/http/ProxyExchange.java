package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import io.zonemesh.lb.Host;
import io.zonemesh.proxy.config.RouteRule;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request, from route match to the response handed back to its {@link DownstreamHandler}:
 * route (404 NR), cluster (503 NC), host pick (503 UH), pooled connection (503 UF), forward in
 * origin form with the authority as Host, relay the response; a route timeout answers 504 UT.
 * Every outcome is reported to the load balancer (status, or the local-origin failure kind) and
 * the host's active-request count is held for exactly the life of the exchange. Confined to
 * the downstream channel's event loop.
 */
final class ProxyExchange implements UpstreamHandler.Listener {
    private static final Logger log = LoggerFactory.getLogger(ProxyExchange.class);
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final ListenerContext context;
    private final DownstreamHandler downstream;
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest request;
    private final boolean keepAlive;
    private final long startNanos;
    private final long startMillis;
    private String authority = "-";
    private String path;
    private @Nullable String clusterName;
    private @Nullable ActiveCluster cluster;
    private @Nullable Host host;
    private @Nullable FullHttpRequest upstreamRequest;
    private @Nullable PooledConnection connection;
    private @Nullable Future<PooledConnection> connecting;
    private @Nullable ScheduledFuture<?> timeout;
    private long upstreamStartNanos = -1;
    private boolean hostStarted;
    private boolean staleRetried;
    private boolean done;
    private boolean requestReleased;

    ProxyExchange(ListenerContext context, DownstreamHandler downstream, ChannelHandlerContext ctx,
            FullHttpRequest request) {
        this.context = context;
        this.downstream = downstream;
        this.ctx = ctx;
        this.request = request;
        this.keepAlive = request.decoderResult().isSuccess() && HttpUtil.isKeepAlive(request);
        this.startNanos = context.clock().nanoTime();
        this.startMillis = context.clock().currentTimeMillis();
        this.path = request.uri();
    }

    /** Whether the client asked to keep its connection open after this exchange. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** HTTP/1.0 clients need an explicit {@code Connection: keep-alive} to keep the connection. */
    boolean http10() {
        return request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }

    void start() {
        try {
            route();
        } catch (RuntimeException e) {
            log.error("request {} {} failed inside the proxy", request.method(), path, e);
            if (cluster != null && host != null) {
                cluster.loadBalancer().onLocalOriginFailure(host, LocalOriginFailure.RESET);
            }
            localReply(HttpResponseStatus.INTERNAL_SERVER_ERROR, null, "internal error");
        }
    }

    private void route() {
        if (!request.decoderResult().isSuccess()) {
            localReply(MalformedRequests.status(request.decoderResult().cause()),
                    ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR, "");
            return;
        }
        RequestTarget target = RequestTarget.of(request);
        if (target == null) {
            localReply(HttpResponseStatus.BAD_REQUEST, ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR, "");
            return;
        }
        authority = target.authority();
        path = target.path();
        ProxySnapshot snapshot = context.snapshots().get();
        RouteTable table = snapshot.routeTable(context.listenerName());
        RouteRule route = table == null ? null : table.findRoute(authority, path, request.headers());
        if (route == null) {
            localReply(HttpResponseStatus.NOT_FOUND, ResponseFlag.NO_ROUTE, "");
            return;
        }
        clusterName = route.action().clusters().pick(context.random());
        cluster = snapshot.cluster(clusterName);
        if (cluster == null) {
            localReply(HttpResponseStatus.SERVICE_UNAVAILABLE, ResponseFlag.NO_CLUSTER, "");
            return;
        }
        host = cluster.loadBalancer().chooseHost(context.random().nextLong(Long.MAX_VALUE), Set.of());
        if (host == null) {
            localReply(HttpResponseStatus.SERVICE_UNAVAILABLE, ResponseFlag.NO_HEALTHY_UPSTREAM,
                    LocalReplies.NO_HEALTHY_UPSTREAM);
            return;
        }
        host.onRequestStart();
        hostStarted = true;
        upstreamRequest = upstreamRequest(route, target);
        Duration routeTimeout = route.action().timeout();
        if (!routeTimeout.isZero()) {
            timeout = ctx.executor().schedule(this::onTimeout, routeTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        acquire(false);
    }

    private FullHttpRequest upstreamRequest(RouteRule route, RequestTarget target) {
        FullHttpRequest copy = request.replace(request.content().retainedDuplicate());
        copy.setProtocolVersion(HttpVersion.HTTP_1_1);
        copy.setUri(route.upstreamPath(target.path()));
        HopByHopHeaders.strip(copy.headers());
        // The proxy already answered any Expect itself while aggregating the body.
        copy.headers().remove(HttpHeaderNames.EXPECT);
        String hostRewrite = route.action().hostRewrite();
        copy.headers().set(HttpHeaderNames.HOST, hostRewrite != null ? hostRewrite : target.authority());
        return copy;
    }

    private void acquire(boolean forceNew) {
        PoolKey key = new PoolKey(cluster.name(), host.spec().address(), host.spec().port());
        Future<PooledConnection> future = context.pools().acquire(ctx.channel().eventLoop(), key,
                cluster.config().connectTimeout(), cluster.config().httpOptions(), forceNew);
        connecting = future;
        future.addListener(f -> onAcquired(future));
    }

    private void onAcquired(Future<PooledConnection> future) {
        if (connecting != future || done) {
            // Abandoned (timeout, client gone): a connection that still arrives is not wanted.
            if (future.isSuccess()) {
                context.pools().release(future.getNow(), false, cluster.config().httpOptions());
            }
            return;
        }
        connecting = null;
        if (!future.isSuccess()) {
            cluster.loadBalancer().onLocalOriginFailure(host, LocalOriginFailure.CONNECT_FAILED);
            localReply(HttpResponseStatus.SERVICE_UNAVAILABLE, ResponseFlag.UPSTREAM_CONNECT_FAILURE,
                    LocalReplies.CONNECT_FAILURE);
            return;
        }
        PooledConnection acquired = future.getNow();
        connection = acquired;
        acquired.handler.bind(this);
        if (upstreamStartNanos < 0) {
            upstreamStartNanos = context.clock().nanoTime();
        }
        acquired.channel.writeAndFlush(upstreamRequest.retainedDuplicate()).addListener(write -> {
            if (!write.isSuccess() && connection == acquired) {
                acquired.handler.unbind();
                onUpstreamFailure(write.cause());
            }
        });
        acquired.channel.read();
    }

    @Override
    public void onUpstreamResponse(FullHttpResponse response) {
        PooledConnection used = connection;
        connection = null;
        if (done || used == null) {
            response.release();
            return;
        }
        if (!response.decoderResult().isSuccess()) {
            response.release();
            context.pools().release(used, false, cluster.config().httpOptions());
            cluster.loadBalancer().onLocalOriginFailure(host, LocalOriginFailure.RESET);
            localReply(HttpResponseStatus.BAD_GATEWAY, ResponseFlag.UPSTREAM_PROTOCOL_ERROR,
                    LocalReplies.PROTOCOL_ERROR);
            return;
        }
        context.pools().release(used, HttpUtil.isKeepAlive(response), cluster.config().httpOptions());
        cluster.loadBalancer().onResponse(host, response.status().code());
        HopByHopHeaders.strip(response.headers());
        finish(response, null, context.clock().nanoTime() - upstreamStartNanos);
    }

    @Override
    public void onUpstreamFailure(@Nullable Throwable cause) {
        PooledConnection used = connection;
        connection = null;
        if (done || used == null) {
            return;
        }
        boolean sawBytes = used.handler.bytesReceived();
        context.pools().release(used, false, cluster.config().httpOptions());
        if (used.reused && !sawBytes && !staleRetried && IDEMPOTENT.contains(request.method())) {
            // The server closed this keep-alive connection while it sat idle in the pool and the
            // close crossed our request: nothing was processed, so try once on a fresh connection.
            staleRetried = true;
            acquire(true);
            return;
        }
        cluster.loadBalancer().onLocalOriginFailure(host, LocalOriginFailure.RESET);
        if (cause instanceof TooLongFrameException || cause instanceof DecoderException) {
            localReply(HttpResponseStatus.BAD_GATEWAY, ResponseFlag.UPSTREAM_PROTOCOL_ERROR,
                    LocalReplies.PROTOCOL_ERROR);
        } else {
            localReply(HttpResponseStatus.SERVICE_UNAVAILABLE, cause instanceof IOException
                    ? ResponseFlag.UPSTREAM_REMOTE_RESET : ResponseFlag.UPSTREAM_CONNECTION_TERMINATION,
                    LocalReplies.CONNECTION_TERMINATION);
        }
    }

    private void onTimeout() {
        timeout = null;
        if (done) {
            return;
        }
        abandonUpstream();
        cluster.loadBalancer().onLocalOriginFailure(host, LocalOriginFailure.TIMEOUT);
        localReply(HttpResponseStatus.GATEWAY_TIMEOUT, ResponseFlag.UPSTREAM_REQUEST_TIMEOUT, LocalReplies.TIMEOUT);
    }

    /** The client went away: stop the upstream side, log status 0 with DC. */
    void onDownstreamClosed() {
        if (done) {
            return;
        }
        done = true;
        cancelTimeout();
        abandonUpstream();
        endHostRequest();
        releaseBuffers();
        record(0, ResponseFlag.DOWNSTREAM_CONNECTION_TERMINATION, -1, 0);
    }

    private void abandonUpstream() {
        Future<PooledConnection> pending = connecting;
        connecting = null;
        if (pending != null) {
            pending.cancel(false);
        }
        PooledConnection used = connection;
        connection = null;
        if (used != null) {
            // A response may be half-read: the connection cannot be reused.
            context.pools().release(used, false, cluster.config().httpOptions());
        }
    }

    private void localReply(HttpResponseStatus status, @Nullable ResponseFlag flag, String body) {
        finish(LocalReplies.create(ctx.alloc(), status, body), flag, -1);
    }

    private void finish(FullHttpResponse response, @Nullable ResponseFlag flag, long upstreamNanos) {
        if (done) {
            response.release();
            return;
        }
        done = true;
        cancelTimeout();
        endHostRequest();
        releaseBuffers();
        record(response.status().code(), flag, upstreamNanos, response.content().readableBytes());
        downstream.respond(this, response);
    }

    private void record(int status, @Nullable ResponseFlag flag, long upstreamNanos, long bytesSent) {
        RequestRecord record = new RequestRecord(context.direction(), context.listenerName(), startMillis,
                request.method().name(), authority, path, request.protocolVersion().text(), status, flag, clusterName,
                host == null ? null : host.spec().key(), host == null ? "" : host.spec().locality(),
                context.clock().nanoTime() - startNanos, upstreamNanos, request.content().readableBytes(),
                bytesSent);
        try {
            context.observer().onRequestComplete(record);
        } catch (RuntimeException e) {
            log.warn("request observer failed", e);
        }
    }

    private void endHostRequest() {
        if (hostStarted) {
            hostStarted = false;
            host.onRequestEnd();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private void releaseBuffers() {
        if (upstreamRequest != null) {
            upstreamRequest.release();
            upstreamRequest = null;
        }
    }

    /** Releases the downstream request; the handler calls it when it lets go of the exchange. */
    void releaseRequest() {
        if (!requestReleased) {
            requestReleased = true;
            request.release();
        }
    }
}

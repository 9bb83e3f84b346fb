package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.Future;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.Host;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One try of a request against one host (Envoy's {@code UpstreamRequest}): takes a
 * {@code max_requests} slot, holds the host's active-request count, gets a pooled connection,
 * sends the buffered request, arms the per-try timeout once the request is on its way, and
 * reports exactly one outcome to its {@link ProxyExchange}, after telling the load balancer's
 * outlier detection. Confined to the downstream channel's event loop.
 */
final class UpstreamAttempt implements UpstreamHandler.Listener {
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

    private final ProxyExchange exchange;
    private final ListenerContext context;
    private final ChannelHandlerContext ctx;
    private final ActiveCluster cluster;
    private final Host host;
    private final FullHttpRequest request;
    private final Duration perTryTimeout;
    private @Nullable PooledConnection connection;
    private @Nullable Future<PooledConnection> connecting;
    private @Nullable ScheduledFuture<?> perTryTimer;
    private long sentNanos = -1;
    private boolean holdingRequest;
    private boolean staleRetried;
    private boolean ended;

    /** @param request shared with later attempts: each write sends a retained duplicate */
    UpstreamAttempt(ProxyExchange exchange, ListenerContext context, ChannelHandlerContext ctx, ActiveCluster cluster,
            Host host, FullHttpRequest request, Duration perTryTimeout) {
        this.exchange = exchange;
        this.context = context;
        this.ctx = ctx;
        this.cluster = cluster;
        this.host = host;
        this.request = request;
        this.perTryTimeout = perTryTimeout;
    }

    Host host() {
        return host;
    }

    /** Nanoseconds since the request was first written upstream, -1 before that. */
    long upstreamNanos() {
        return sentNanos < 0 ? -1 : context.clock().nanoTime() - sentNanos;
    }

    void start() {
        if (!cluster.breakers().requests().tryAcquire()) {
            cluster.breakers().onOverflow(CircuitBreakers.Resource.REQUESTS);
            end();
            exchange.onAttemptOverflow(this);
            return;
        }
        holdingRequest = true;
        host.onRequestStart();
        acquire(false);
    }

    private void acquire(boolean forceNew) {
        PoolKey key = new PoolKey(cluster.name(), host.spec().address(), host.spec().port());
        Future<PooledConnection> future = context.pools().acquire(ctx.channel().eventLoop(), key,
                cluster.config().connectTimeout(), cluster.config().httpOptions(), cluster.breakers(), cluster.config().tls(), forceNew);
        connecting = future;
        future.addListener(f -> onAcquired(future));
    }

    private void onAcquired(Future<PooledConnection> future) {
        if (connecting != future || ended) {
            // Abandoned (timeout, client gone): a connection that still arrives is not wanted.
            if (future.isSuccess()) {
                context.pools().release(future.getNow(), false, cluster.config().httpOptions());
            }
            return;
        }
        connecting = null;
        if (!future.isSuccess()) {
            if (future.cause() instanceof PoolOverflowException) {
                // Envoy's pool failure Overflow: no outlier report and never retried.
                end();
                exchange.onAttemptOverflow(this);
            } else {
                fail(AttemptFailure.CONNECT_FAILURE);
            }
            return;
        }
        PooledConnection acquired = future.getNow();
        connection = acquired;
        acquired.handler.bind(this);
        if (sentNanos < 0) {
            sentNanos = context.clock().nanoTime();
            if (!perTryTimeout.isZero()) {
                // Envoy arms per_try_timeout when the pool hands over a connection and the
                // downstream request is complete (always, since bodies are buffered).
                perTryTimer = ctx.executor().schedule(this::onPerTryTimeout, perTryTimeout.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
        }
        FullHttpRequest toSend = request.retainedDuplicate();
        if (acquired.stream) {
            // HTTP/2 carries the authority as :authority, which Netty's translation takes from an
            // absolute URI (a Host header is dropped as connection-specific).
            toSend.setUri((cluster.config().tls() != null ? "https://" : "http://")
                    + toSend.headers().get(HttpHeaderNames.HOST, host.spec().key()) + toSend.uri());
        }
        acquired.channel.writeAndFlush(toSend).addListener(write -> {
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
        if (ended || used == null) {
            response.release();
            return;
        }
        if (!response.decoderResult().isSuccess()) {
            response.release();
            context.pools().release(used, false, cluster.config().httpOptions());
            fail(AttemptFailure.PROTOCOL_ERROR);
            return;
        }
        context.pools().release(used, HttpUtil.isKeepAlive(response), cluster.config().httpOptions());
        cluster.loadBalancer().onResponse(host, response.status().code());
        long upstreamNanos = upstreamNanos();
        end();
        exchange.onAttemptResponse(this, response, upstreamNanos);
    }

    @Override
    public void onUpstreamFailure(@Nullable Throwable cause) {
        PooledConnection used = connection;
        connection = null;
        if (ended || used == null) {
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
        if (cause instanceof TooLongFrameException || cause instanceof DecoderException) {
            fail(AttemptFailure.PROTOCOL_ERROR);
        } else {
            fail(cause instanceof IOException ? AttemptFailure.REMOTE_RESET : AttemptFailure.CONNECTION_TERMINATION);
        }
    }

    private void onPerTryTimeout() {
        perTryTimer = null;
        if (!ended) {
            abandonConnection();
            fail(AttemptFailure.PER_TRY_TIMEOUT);
        }
    }

    private void fail(AttemptFailure failure) {
        cluster.loadBalancer().onLocalOriginFailure(host, failure.outlierKind);
        end();
        exchange.onAttemptFailure(this, failure);
    }

    /**
     * The route timeout fired while this attempt was in flight: outlier detection hears a
     * timeout from its host, as Envoy reports {@code LocalOriginTimeout}; no outcome follows.
     */
    void onRouteTimeout() {
        if (!ended) {
            cluster.loadBalancer().onLocalOriginFailure(host, AttemptFailure.PER_TRY_TIMEOUT.outlierKind);
            cancel();
        }
    }

    /** Stops this attempt without an outcome: the client went away. */
    void cancel() {
        if (!ended) {
            abandonConnection();
            end();
        }
    }

    private void abandonConnection() {
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

    private void end() {
        ended = true;
        if (perTryTimer != null) {
            perTryTimer.cancel(false);
            perTryTimer = null;
        }
        if (holdingRequest) {
            holdingRequest = false;
            host.onRequestEnd();
            cluster.breakers().requests().release();
        }
    }
}

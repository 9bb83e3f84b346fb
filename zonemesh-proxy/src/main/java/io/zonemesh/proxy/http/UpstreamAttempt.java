package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.Host;
import io.zonemesh.proxy.snapshot.ActiveCluster;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One try of a request against one host (Envoy's {@code UpstreamRequest}): takes a
 * {@code max_requests} slot, holds the host's active-request count, gets a pooled connection,
 * sends the request (a streamed body piece by piece, as the client sends it and the upstream
 * takes it), arms the per-try timeout once the whole request is on its way, and
 * reports exactly one outcome to its {@link ProxyExchange}, after telling the load balancer's
 * outlier detection.
 *
 * <p>The response is streamed: its head goes to the exchange, which either relays it (the
 * attempt is committed, its body pieces follow to the client as they arrive, at the client's
 * pace) or decides to retry (the body is read and dropped so that the connection can be
 * reused, then the exchange retries). A response body has no size limit, as in Envoy: it
 * streams at the client's pace, and only a read batch or so of it is in memory at a time.
 * Confined to the downstream channel's event loop.
 */
final class UpstreamAttempt implements UpstreamHandler.Listener, FutureListener<PooledConnection> {
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(
            HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

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
    /** The head was relayed: body pieces go to the client. */
    private boolean committed;
    /** A retry was decided on the head: the body is read and dropped. */
    private boolean draining;

    private boolean responseKeepAlive;
    /** A streamed request body is being sent: later pieces go straight to the connection. */
    private boolean bodyOpen;
    /** The whole request is on its way upstream; until then the connection cannot be reused. */
    private boolean requestSent;
    /** Why the TLS connect failed (Envoy's {@code UPSTREAM_TRANSPORT_FAILURE_REASON}), null otherwise. */
    private @Nullable String transportFailureReason;

    /** @param request shared with later attempts: each write sends a duplicate of its body */
    UpstreamAttempt(
            ProxyExchange exchange,
            ListenerContext context,
            ChannelHandlerContext ctx,
            ActiveCluster cluster,
            Host host,
            FullHttpRequest request,
            Duration perTryTimeout) {
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

    /** The local address of this attempt's upstream connection, null before it has one. */
    @Nullable
    InetSocketAddress localAddress() {
        PooledConnection used = connection;
        return used != null && used.channel.localAddress() instanceof InetSocketAddress address ? address : null;
    }

    @Nullable
    String transportFailureReason() {
        return transportFailureReason;
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
        PoolKey key = PoolKey.of(cluster, host.spec());
        if (!forceNew) {
            // The common case, an idle keep-alive connection of this event loop, needs no future.
            PooledConnection idle = context.pools()
                    .pollIdle(ctx.channel().eventLoop(), key, cluster.config().httpOptions());
            if (idle != null) {
                send(idle);
                return;
            }
        }
        Future<PooledConnection> future = context.pools()
                .acquire(
                        ctx.channel().eventLoop(),
                        key,
                        cluster.config().connectTimeout(),
                        cluster.config().httpOptions(),
                        cluster.breakers(),
                        cluster.transportFor(host.spec()),
                        forceNew);
        connecting = future;
        future.addListener(this);
    }

    @Override
    public void operationComplete(Future<PooledConnection> future) {
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
                transportFailureReason = TransportFailures.reason(future.cause());
                fail(AttemptFailure.CONNECT_FAILURE);
            }
            return;
        }
        send(future.getNow());
    }

    private void send(PooledConnection acquired) {
        connection = acquired;
        acquired.handler.bind(this);
        if (sentNanos < 0) {
            sentNanos = context.clock().nanoTime();
        }
        // The headers are shared (the encoder only reads them); the body is a duplicate because
        // writing advances its reader index and a retry sends it again.
        String uri = request.uri();
        if (acquired.stream) {
            // HTTP/2 carries the authority as :authority, which Netty's translation takes from an
            // absolute URI (a Host header is dropped as connection-specific).
            uri = (cluster.transportFor(host.spec()) != null ? "https://" : "http://")
                    + request.headers().get(HttpHeaderNames.HOST, host.spec().key())
                    + uri;
        }
        if (!exchange.streaming()) {
            FullHttpRequest toSend = new DefaultFullHttpRequest(
                    request.protocolVersion(),
                    request.method(),
                    uri,
                    request.content().retainedDuplicate(),
                    request.headers(),
                    request.trailingHeaders());
            // A failed write reaches UpstreamHandler.exceptionCaught, which reports it here.
            acquired.channel.writeAndFlush(toSend, acquired.channel.voidPromise());
            onRequestSent();
            acquired.channel.read();
            return;
        }
        // A streamed body: the head and the buffered part now, the rest as the client sends it,
        // each piece read from the client only once the upstream took the one before (Netty's
        // proxy rule, in this direction).
        acquired.channel.write(
                new DefaultHttpRequest(request.protocolVersion(), request.method(), uri, request.headers()),
                acquired.channel.voidPromise());
        bodyOpen = true;
        sendBody(new DefaultHttpContent(request.content().retainedDuplicate()));
        exchange.drainPendingBody(this);
        acquired.channel.read();
    }

    /** Whether body pieces go straight upstream now (the head went out and the body is open). */
    boolean sendingBody() {
        return bodyOpen && connection != null && !ended;
    }

    /** Writes a piece of the streamed body; the exchange reads on from the client once it is taken. */
    void sendBody(HttpContent piece) {
        PooledConnection used = connection;
        if (!sendingBody() || used == null) {
            piece.release();
            return;
        }
        boolean last = piece instanceof LastHttpContent;
        if (last) {
            bodyOpen = false;
            onRequestSent();
        }
        // A failed write closes the connection, whose inactivity reports the failure.
        used.channel.writeAndFlush(piece).addListener(written -> {
            if (written.isSuccess() && connection == used && bodyOpen && used.channel.isWritable()) {
                exchange.onUpstreamBodyWritable(this);
            }
        });
    }

    @Override
    public void onUpstreamWritable() {
        if (sendingBody()) {
            exchange.onUpstreamBodyWritable(this);
        }
    }

    /** The whole request is written: Envoy arms per_try_timeout when the request is complete. */
    private void onRequestSent() {
        requestSent = true;
        if (perTryTimer == null && !perTryTimeout.isZero() && !ended) {
            // Guarded as every timer entry of the exchange (see ProxyExchange#guarded).
            perTryTimer = ctx.executor()
                    .schedule(
                            () -> exchange.guarded(this::onPerTryTimeout),
                            perTryTimeout.toNanos(),
                            TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onUpstreamHead(HttpResponse head) {
        PooledConnection used = connection;
        if (ended || used == null) {
            ReferenceCountUtil.release(head);
            return;
        }
        if (!head.decoderResult().isSuccess()) {
            ReferenceCountUtil.release(head);
            connection = null;
            context.pools().release(used, false, cluster.config().httpOptions());
            fail(AttemptFailure.PROTOCOL_ERROR);
            return;
        }
        if (head.status().code() == 101) {
            onSwitchingProtocols(used, head);
            return;
        }
        responseKeepAlive = HttpUtil.isKeepAlive(head);
        cluster.loadBalancer().onResponse(host, head.status().code());
        if (exchange.onAttemptHead(this, head, upstreamNanos())) {
            committed = true;
        } else {
            draining = true;
        }
    }

    /**
     * A 101: the connection leaves the pool's hands for a tunnel if a WebSocket upgrade was asked
     * for; an unasked one is a protocol error (502 UPE), the connection out of step.
     */
    private void onSwitchingProtocols(PooledConnection used, HttpResponse head) {
        connection = null;
        if (!exchange.upgrade() || !requestSent) {
            ReferenceCountUtil.release(head);
            context.pools().release(used, false, cluster.config().httpOptions());
            fail(AttemptFailure.PROTOCOL_ERROR);
            return;
        }
        cluster.loadBalancer().onResponse(host, 101);
        used.handler.unbind();
        long upstreamNanos = upstreamNanos();
        end();
        exchange.onAttemptUpgrade(this, head, used, upstreamNanos);
    }

    @Override
    public void onUpstreamContent(HttpContent content) {
        PooledConnection used = connection;
        if (ended || used == null) {
            content.release();
            return;
        }
        if (!content.decoderResult().isSuccess()) {
            content.release();
            onBodyFailure(used, AttemptFailure.PROTOCOL_ERROR);
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            connection = null;
            // A response that ends before the request was all sent leaves the connection mid-request.
            context.pools()
                    .release(
                            used,
                            responseKeepAlive && requestSent,
                            cluster.config().httpOptions());
        }
        if (draining) {
            content.release();
            if (last) {
                end();
                exchange.onAttemptDrained(this);
            }
            return;
        }
        if (last) {
            long upstreamNanos = upstreamNanos();
            end();
            exchange.onAttemptLastContent(this, (LastHttpContent) content, upstreamNanos);
        } else {
            exchange.onAttemptContent(this, content);
        }
    }

    @Override
    public void onUpstreamReadComplete() {
        PooledConnection used = connection;
        if (committed && !ended) {
            exchange.flushDownstream();
        }
        if (used != null && !ended && (draining || exchange.downstreamWritable())) {
            used.channel.read();
        }
    }

    /** The client can take more: read the next piece of the body. */
    void onDownstreamWritable() {
        PooledConnection used = connection;
        if (used != null && !ended && committed) {
            used.channel.read();
        }
    }

    /** The body failed after the head: the connection cannot be reused. */
    private void onBodyFailure(PooledConnection used, AttemptFailure failure) {
        connection = null;
        context.pools().release(used, false, cluster.config().httpOptions());
        if (draining) {
            end();
            exchange.onAttemptDrained(this);
        } else {
            fail(failure);
        }
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
        if (draining) {
            end();
            exchange.onAttemptDrained(this);
            return;
        }
        if (!committed
                && used.reused
                && !sawBytes
                && !staleRetried
                && !exchange.streaming()
                && IDEMPOTENT.contains(request.method())) {
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
            if (draining) {
                end();
                exchange.onAttemptDrained(this);
            } else {
                fail(AttemptFailure.PER_TRY_TIMEOUT);
            }
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

package io.zonemesh.proxy.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.common.Nullable;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one downstream HTTP/1.1 connection. Auto-read is off: the handler reads while no
 * complete request waits behind the one in flight, and starts the next request only after the
 * previous response has been flushed (Netty's proxy rule), so a slow client or upstream throttles
 * the other side and pipelined requests are answered in order. Honours {@code Connection: close}, HTTP/1.0
 * keep-alive and draining.
 */
final class DownstreamHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DownstreamHandler.class);

    private final ListenerContext context;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    /**
     * Body pieces of a {@link StreamingRequest} that is queued behind the exchange in flight;
     * bounded, because nothing more is read while a streamed body is open (see {@link #bodyOpen}).
     */
    private final ArrayDeque<HttpContent> queuedBody = new ArrayDeque<>();

    private @Nullable ProxyExchange current;
    // Both set in handlerAdded, before Netty calls any other method of this handler.
    @SuppressWarnings("NullAway.Init")
    private ChannelHandlerContext ctx;

    @SuppressWarnings("NullAway.Init")
    private RearmableTimer routeTimer;

    @SuppressWarnings("NullAway.Init")
    private RearmableTimer idleTimer;

    private boolean closing;
    /**
     * The last request read is a {@link StreamingRequest} whose body is still arriving: reads
     * then happen only when its exchange asks ({@link #readRequestBody}), as the upstream takes
     * the body, which is how a slow upstream throttles an upload.
     */
    private boolean bodyOpen;
    /** The connection became a WebSocket tunnel: this handler no longer sees bytes. */
    private boolean tunneled;
    /** Anything was read since the drain's last idle check. */
    private boolean readSinceIdleCheck;
    /** Whether the listener's drain asked this connection to close once idle. */
    private boolean drainRequested;
    /** Whether the streamed response in flight ends the connection. */
    private boolean closeAfterResponse;
    /** Whether the proxy chose chunked framing for the streamed response in flight. */
    private boolean chunkedByProxy;
    /** The head of the streamed response in flight, not written yet. Not reference-counted. */
    private @Nullable HttpResponse heldHead;

    DownstreamHandler(ListenerContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.routeTimer = new RearmableTimer(ctx.executor(), this::onRouteTimeout);
        this.idleTimer = new RearmableTimer(ctx.executor(), this::onStreamIdleTimeout);
    }

    /**
     * (Re)starts the stream idle timeout of the exchange in flight: called when it starts and on
     * each piece of activity, as Envoy's HCM resets its {@code stream_idle_timeout} timer. One
     * rearmable timer per connection, like the route timer: most re-arms only move a deadline.
     */
    void touchStream() {
        long nanos = context.streamIdleTimeout().toNanos();
        if (nanos > 0) {
            idleTimer.arm(nanos);
        }
    }

    void disarmStreamIdleTimeout() {
        idleTimer.disarm();
    }

    private void onStreamIdleTimeout() {
        ProxyExchange exchange = current;
        if (exchange != null) {
            exchange.onStreamIdleTimeout();
        }
    }

    /**
     * Arms the route timeout of the exchange in flight. One timer per connection serves its
     * requests one after the other, so a keep-alive connection does not schedule and cancel a
     * task per request.
     */
    void armRouteTimeout(long nanos) {
        routeTimer.arm(nanos);
    }

    void disarmRouteTimeout() {
        routeTimer.disarm();
    }

    private void onRouteTimeout() {
        ProxyExchange exchange = current;
        if (exchange != null) {
            exchange.onTimeout();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (tunneled) {
            // Bytes the codec had buffered past the upgrade request: a client must not send them.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof FullHttpRequest request) {
            if (closing) {
                request.release();
                return;
            }
            bodyOpen = request instanceof StreamingRequest;
            queued.add(request);
            if (current == null) {
                startNext();
            }
        } else if (msg instanceof HttpContent content && bodyOpen) {
            onRequestContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A piece of the open streamed body: to its exchange if it is in flight, else queued with it. */
    private void onRequestContent(HttpContent content) {
        if (content instanceof LastHttpContent) {
            bodyOpen = false;
        }
        if (closing) {
            content.release();
        } else if (queued.isEmpty() && current != null) {
            current.onRequestContent(content);
        } else {
            queuedBody.add(content);
        }
    }

    /** The upstream takes more of {@code exchange}'s streamed body: read the next piece. */
    void readRequestBody(ProxyExchange exchange) {
        if (exchange == current && bodyOpen && queued.isEmpty() && !closing) {
            ctx.read();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // The codec passes every read batch's end on, also one that only brought part of a request.
        readSinceIdleCheck = true;
        // Keep reading while no complete request waits behind the one in flight: a keep-alive
        // client's next request (or its close) is read as it comes, and the socket keeps its
        // read interest, so the selector is not re-armed twice per request (two epoll_ctl calls
        // a request, seen with strace under wrk). A pipelined request that arrives while one is
        // in flight waits in the queue and stops reading until the queue is empty again: at most
        // one request is read ahead.
        if (queued.isEmpty() && !closing && !bodyOpen) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void startNext() {
        FullHttpRequest next = queued.poll();
        if (next == null) {
            if (!closing && !bodyOpen) {
                ctx.read();
            }
            return;
        }
        ProxyExchange exchange = new ProxyExchange(context, this, ctx, next);
        current = exchange;
        exchange.start();
        if (queued.isEmpty()) {
            // The body pieces that arrived while the request waited in the queue.
            HttpContent piece;
            while ((piece = queuedBody.poll()) != null) {
                exchange.onRequestContent(piece);
            }
        }
    }

    /** Sends an exchange's local or buffered response; called once per exchange, on this channel's event loop. */
    void respond(ProxyExchange exchange, FullHttpResponse response) {
        exchange.releaseRequest();
        if (exchange != current) {
            response.release();
            return;
        }
        // An answer before the request's body was all read (a local reply, an early upstream
        // answer) ends the connection: the rest of the body cannot be told from a next request.
        boolean close = closing || !exchange.keepAlive() || context.drain().draining() || exchange.requestIncomplete();
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        setConnectionHeader(exchange, response, close);
        ctx.writeAndFlush(response).addListener(new Written(exchange, close));
    }

    /**
     * Takes the head of a streamed response; its body follows through {@link #respondContent}
     * and {@link #respondLast}. A body without a known length is sent chunked to an HTTP/1.1
     * client and delimited by closing the connection for an HTTP/1.0 one; HTTP/2 streams frame
     * it themselves.
     */
    void respondHead(ProxyExchange exchange, HttpResponse head) {
        if (exchange != current) {
            ReferenceCountUtil.release(head);
            return;
        }
        boolean close = closing || !exchange.keepAlive() || context.drain().draining() || exchange.requestIncomplete();
        chunkedByProxy = false;
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        HttpHeaders headers = head.headers();
        if (!(ctx.channel() instanceof Http2StreamChannel)
                && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                && mayHaveBody(exchange, head.status().code())) {
            if (exchange.http10()) {
                close = true;
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
                chunkedByProxy = true;
            }
        }
        closeAfterResponse = close;
        setConnectionHeader(exchange, head, close);
        // Held until the upstream read ends or the body's end arrives: a small response (head and
        // body in one read, the usual case) then goes out as one message, one encoder pass and one
        // buffer, instead of two writes.
        heldHead = head;
    }

    private void writeHeldHead() {
        HttpResponse head = heldHead;
        if (head != null) {
            heldHead = null;
            ctx.write(head, ctx.voidPromise());
        }
    }

    /** A piece of a streamed body; flushed with the others of the same upstream read ({@link #flush}). */
    void respondContent(ProxyExchange exchange, HttpContent content) {
        if (exchange != current) {
            content.release();
            return;
        }
        writeHeldHead();
        ctx.write(content, ctx.voidPromise());
    }

    /** An upstream read ended in the middle of a streamed body: what it brought goes to the client now. */
    void flush(ProxyExchange exchange) {
        if (exchange == current) {
            writeHeldHead();
            ctx.flush();
        }
    }

    /** The end of a streamed response: the next request is read once it is flushed. */
    void respondLast(ProxyExchange exchange, LastHttpContent last) {
        exchange.releaseRequest();
        if (exchange != current) {
            last.release();
            return;
        }
        HttpResponse head = heldHead;
        Object message = last;
        if (head != null) {
            heldHead = null;
            HttpHeaders headers = head.headers();
            if (chunkedByProxy) {
                // The whole body is here after all: its length is known.
                headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
                headers.setInt(HttpHeaderNames.CONTENT_LENGTH, last.content().readableBytes());
            }
            message = new DefaultFullHttpResponse(
                    head.protocolVersion(), head.status(), last.content(), headers, last.trailingHeaders());
        }
        boolean close = closeAfterResponse || exchange.requestIncomplete();
        if (close) {
            closing = true;
        }
        ctx.writeAndFlush(message).addListener(new Written(exchange, close));
    }

    /**
     * The upstream accepted {@code exchange}'s WebSocket upgrade: the 101 goes out through the
     * HTTP encoder, then both connections become an {@link ByteTunnel}, whose relay handlers
     * in front of the codecs take every later byte. Requests read after the upgrade request
     * cannot be HTTP any more (a client must wait for the 101) and are dropped.
     */
    void respondUpgrade(ProxyExchange exchange, HttpResponse head, PooledConnection upstream) {
        exchange.releaseRequest();
        if (exchange != current || closing) {
            ReferenceCountUtil.release(head);
            upstream.channel.close();
            return;
        }
        current = null;
        tunneled = true;
        idleTimer.cancel();
        routeTimer.cancel();
        FullHttpRequest stale;
        while ((stale = queued.poll()) != null) {
            stale.release();
        }
        head.setProtocolVersion(HttpVersion.HTTP_1_1);
        ctx.writeAndFlush(head).addListener(written -> {
            if (!written.isSuccess()) {
                upstream.channel.close();
            }
        });
        // At once, not after the write: bytes the upstream sent right behind its 101 are being
        // decoded now, and go to the tunnel (behind the 101 in the client's outbound buffer).
        ByteTunnel tunnel = ByteTunnel.open(ctx.channel(), upstream.channel, context.streamIdleTimeout());
        upstream.handler.tunnel(tunnel);
        // The relay reads only bytes that arrive from now on; those the client sent behind its
        // request before the 101 wait in the scanner, and go first (the relay's read is still pending).
        Http1RequestScanner scanner = ctx.pipeline().get(Http1RequestScanner.class);
        if (scanner != null) {
            tunnel.fromClient(scanner.takeHeld());
        }
    }

    /** A streamed response cannot be completed: the client is reset (its head already went out). */
    void reset(ProxyExchange exchange) {
        exchange.releaseRequest();
        heldHead = null;
        if (exchange == current) {
            closing = true;
            ctx.close();
        }
    }

    private static boolean mayHaveBody(ProxyExchange exchange, int status) {
        return !exchange.headRequest() && status >= 200 && status != 204 && status != 304;
    }

    private void setConnectionHeader(ProxyExchange exchange, HttpResponse response, boolean close) {
        if (close) {
            closing = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (exchange.http10()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    /** After an exchange's last write: the next request, or the close it asked for. */
    private final class Written implements ChannelFutureListener {
        private final ProxyExchange exchange;
        private final boolean close;

        Written(ProxyExchange exchange, boolean close) {
            this.exchange = exchange;
            this.close = close;
        }

        @Override
        public void operationComplete(ChannelFuture written) {
            if (current == exchange) {
                current = null;
            }
            if (!written.isSuccess() || close) {
                ctx.close();
            } else {
                startNext();
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ProxyExchange exchange = current;
        if (exchange != null && ctx.channel().isWritable()) {
            exchange.onDownstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * The listener is draining. A connection with a request in flight, queued or partly read
     * (the aggregator holds its head or part of its body, or bytes arrived within the grace
     * period) closes after its response (which carries {@code Connection: close}, see {@link #respond}).
     * An idle keep-alive connection is closed only once it has stayed idle for
     * {@link DrainState#IDLE_CLOSE_GRACE}: an HTTP/1.1 client may have sent its next request
     * already, which this side has not read yet, and closing then fails that request (a reset);
     * under load a connection is "idle" in that sense most of the time between two requests.
     * Envoy does not close idle HTTP/1 connections on drain at all (only the responses carry
     * {@code Connection: close}, idle connections wait for the idle timeout); closing the
     * quiet ones after a grace period sheds them sooner without that race.
     */
    void onDrain() {
        // A tunnel is a stream in flight to the end, as Envoy leaves an upgraded stream be.
        if (drainRequested || closing || tunneled) {
            return;
        }
        drainRequested = true;
        readSinceIdleCheck = false;
        ctx.executor().schedule(this::closeIfStillIdle, DrainState.IDLE_CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void closeIfStillIdle() {
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        RequestAggregator aggregator = ctx.pipeline().get(RequestAggregator.class);
        boolean midRequest = aggregator != null && aggregator.midRequest();
        if (current == null && queued.isEmpty() && !midRequest && !readSinceIdleCheck) {
            closing = true;
            ctx.close();
            return;
        }
        // Busy: its next response closes it; look again in case it went quiet without one.
        readSinceIdleCheck = false;
        ctx.executor().schedule(this::closeIfStillIdle, DrainState.IDLE_CLOSE_GRACE.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        heldHead = null;
        routeTimer.cancel();
        idleTimer.cancel();
        ProxyExchange exchange = current;
        current = null;
        if (exchange != null) {
            exchange.onDownstreamClosed();
            exchange.releaseRequest();
        }
        FullHttpRequest request;
        while ((request = queued.poll()) != null) {
            request.release();
        }
        HttpContent piece;
        while ((piece = queuedBody.poll()) != null) {
            piece.release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("downstream connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}

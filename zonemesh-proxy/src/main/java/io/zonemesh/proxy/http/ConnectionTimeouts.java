package io.zonemesh.proxy.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.zonemesh.common.Nullable;
import java.time.Duration;

/**
 * The two timers of a downstream HTTP/1.1 connection, from Envoy's HCM:
 * <ul>
 *   <li>{@code request_headers_timeout} (on by default here, RELIABILITY.md: slowloris): armed at
 *     accept for the first request and by the first byte of each later one, disarmed once a
 *     request's headers are complete. On expiry a client that sent part of a request gets 408
 *     "request header timeout"; a connection that never sent a byte is closed without a response,
 *     as Envoy closes it. Unlike Envoy (which arms at the first byte and leaves a silent
 *     connection to its 1 h idle timeout) it starts at accept, so that silent connections cannot
 *     pile up (issue 8: 20,000 of them exhausted a 64 MB heap).</li>
 *   <li>{@code idle_timeout}: armed whenever the connection has no request in flight and none
 *     started (after accept and after each response), disarmed by the next byte; on expiry the
 *     connection closes without a response, as Envoy's HTTP/1 codec does.</li>
 * </ul>
 * A client stuck inside the HTTP/2 prior-knowledge preface gets a GOAWAY at the headers timeout
 * instead ({@link Http2PriorKnowledge#goAway}). After a {@code 101 Switching Protocols} the connection is no longer HTTP/1.1 and both timers
 * stop for good. Two handlers share the state: {@link #byteWatcher()} before the HTTP codec sees
 * raw bytes, this one after it sees decoded requests and the responses written. Event-loop
 * confined.
 */
final class ConnectionTimeouts extends ChannelDuplexHandler {
    static final String HEADERS_TIMEOUT_BODY = "request header timeout";

    private final long headersTimeoutNanos;
    private final long idleTimeoutNanos;
    private @Nullable ChannelHandlerContext ctx;
    /** Armed per request on a keep-alive connection: rearmable timers instead of a task each time. */
    private @Nullable RearmableTimer headersTimer;

    private @Nullable RearmableTimer idleTimer;
    /** Between a request's headers and its last content, bytes are body, not headers. */
    private boolean inBody;
    /** Whether the client ever sent a byte: a silent connection is closed without a response. */
    private boolean sawBytes;
    /** Requests decoded whose final response has not been written yet (pipelining: can be > 1). */
    private int inFlight;
    /** After a 101 the bytes are not HTTP/1.1 any more. */
    private boolean upgraded;

    private @Nullable ChannelHandlerContext scannerContext;

    /**
     * @param headersTimeout zero disables the request-headers timeout
     * @param idleTimeout zero disables the idle timeout
     */
    ConnectionTimeouts(Duration headersTimeout, Duration idleTimeout) {
        this.headersTimeoutNanos = headersTimeout.toNanos();
        this.idleTimeoutNanos = idleTimeout.toNanos();
    }

    /** The handler to put before the HTTP codec. */
    ChannelHandler byteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext raw, Object msg) {
                onBytes();
                raw.fireChannelRead(msg);
            }
        };
    }

    private void onBytes() {
        sawBytes = true;
        if (upgraded || inBody) {
            return;
        }
        if (idleTimer != null) {
            idleTimer.disarm();
        }
        if (headersTimer != null && !headersTimer.armed()) {
            headersTimer.arm(headersTimeoutNanos);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (headersTimeoutNanos > 0) {
            headersTimer = new RearmableTimer(ctx.executor(), this::onHeadersTimeout);
        }
        if (idleTimeoutNanos > 0) {
            idleTimer = new RearmableTimer(ctx.executor(), this::onIdleTimeout);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // Accepted (or, on TLS, handshaken): the first request's clock starts now, not at its
        // first byte, and the connection is idle from the start.
        if (headersTimer != null && !headersTimer.armed()) {
            headersTimer.arm(headersTimeoutNanos);
        } else {
            // Only without a headers timeout: that one, shorter, already ends a silent connection,
            // and a second task per connection would cost heap for nothing.
            armIdle();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            if (headersTimer != null) {
                headersTimer.disarm();
            }
            inBody = true;
            inFlight++;
        }
        if (msg instanceof LastHttpContent) {
            inBody = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            onResponseHead(ctx, response);
        }
        if (msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                upgraded = true;
                cancelTimers();
            }
            // 100 Continue and the like: the final response is still to come.
            ctx.write(msg, promise);
            return;
        }
        if (msg instanceof LastHttpContent && !upgraded) {
            ChannelPromise written = promise.unvoid();
            written.addListener(f -> onResponseWritten());
            ctx.write(msg, written);
            return;
        }
        ctx.write(msg, promise);
    }

    /** Tells the scanner how an upgrade request was answered (it holds the bytes until then). */
    private void onResponseHead(ChannelHandlerContext ctx, HttpResponse response) {
        ChannelHandlerContext scannerContext = this.scannerContext;
        if (scannerContext == null || scannerContext.isRemoved()) {
            // Installed after this handler, at the connection's first byte: looked up once.
            scannerContext = ctx.pipeline().context(Http1RequestScanner.class);
            this.scannerContext = scannerContext;
            if (scannerContext == null) {
                return;
            }
        }
        Http1RequestScanner scanner = (Http1RequestScanner) scannerContext.handler();
        if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            scanner.onUpgraded();
        } else if (response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            scanner.onFinalResponse(scannerContext);
        }
    }

    private void onResponseWritten() {
        if (inFlight > 0) {
            inFlight--;
        }
        armIdle();
    }

    /** Arms the idle timer when nothing is in flight and no next request has started. */
    private void armIdle() {
        ChannelHandlerContext context = ctx;
        if (idleTimer == null
                || upgraded
                || inFlight > 0
                || context == null
                || !context.channel().isActive()
                || (sawBytes && headersTimer != null && headersTimer.armed())) {
            return;
        }
        idleTimer.arm(idleTimeoutNanos);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimers();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Removed when the connection turns out to be HTTP/2 (prior knowledge) or is upgraded.
        cancelTimers();
    }

    private void cancelTimers() {
        if (headersTimer != null) {
            headersTimer.cancel();
        }
        if (idleTimer != null) {
            idleTimer.cancel();
        }
    }

    private void onHeadersTimeout() {
        ChannelHandlerContext context = ctx;
        if (context == null || !context.channel().isActive()) {
            return;
        }
        ChannelHandlerContext prefaceContext = context.pipeline().context(Http2PriorKnowledge.class);
        if (prefaceContext != null && ((Http2PriorKnowledge) prefaceContext.handler()).midPreface()) {
            ((Http2PriorKnowledge) prefaceContext.handler()).goAway(prefaceContext);
            return;
        }
        if (!sawBytes) {
            // Envoy closes a connection on which no request began without answering it.
            context.close();
            return;
        }
        FullHttpResponse response =
                LocalReplies.create(context.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, HEADERS_TIMEOUT_BODY);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        context.writeAndFlush(response).addListener(f -> context.close());
    }

    private void onIdleTimeout() {
        ChannelHandlerContext context = ctx;
        if (context != null && context.channel().isActive()) {
            context.close();
        }
    }
}

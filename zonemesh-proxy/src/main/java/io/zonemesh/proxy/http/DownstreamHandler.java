package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.common.Nullable;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one downstream HTTP/1.1 connection. Auto-read is off: the handler reads while it has
 * no request to work on, and reads the next request only after the previous response has been
 * flushed (Netty's proxy rule), so a slow client or upstream throttles the other side and
 * pipelined requests are answered in order. Honours {@code Connection: close}, HTTP/1.0
 * keep-alive and draining.
 */
final class DownstreamHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DownstreamHandler.class);

    private final ListenerContext context;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private @Nullable ProxyExchange current;
    private @Nullable ChannelHandlerContext ctx;
    private boolean closing;

    DownstreamHandler(ListenerContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (closing) {
            request.release();
            return;
        }
        queued.add(request);
        if (current == null) {
            startNext();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Idle, or still receiving a request: keep reading. Busy: wait for the response.
        if (current == null && queued.isEmpty() && !closing) {
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    private void startNext() {
        FullHttpRequest next = queued.poll();
        if (next == null) {
            if (!closing) {
                ctx.read();
            }
            return;
        }
        ProxyExchange exchange = new ProxyExchange(context, this, ctx, next);
        current = exchange;
        exchange.start();
    }

    /** Sends an exchange's response; called once per exchange, on this channel's event loop. */
    void respond(ProxyExchange exchange, FullHttpResponse response) {
        exchange.releaseRequest();
        if (exchange != current) {
            response.release();
            return;
        }
        boolean close = closing || !exchange.keepAlive() || context.drain().draining();
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        if (close) {
            closing = true;
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (exchange.http10()) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        ctx.writeAndFlush(response).addListener(written -> {
            if (current == exchange) {
                current = null;
            }
            if (!written.isSuccess() || close) {
                ctx.close();
            } else {
                startNext();
            }
        });
    }

    /** The listener is draining: close now if idle, else after the response in flight. */
    void onDrain() {
        if (current == null && queued.isEmpty()) {
            closing = true;
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
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
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("downstream connection {} failed", ctx.channel(), cause);
        ctx.close();
    }
}

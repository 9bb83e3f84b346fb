package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.common.Nullable;

/**
 * The last handler of an upstream connection: streams the response of the request in flight to
 * its listener, head first, then its body pieces, the last one a {@link LastHttpContent}; and
 * reports the connection closing or failing under it. Informational 1xx responses are skipped
 * (the proxy already answered {@code Expect} itself). Nothing is aggregated: the listener decides
 * when to read on ({@link Listener#onUpstreamReadComplete}), which is how a slow client throttles
 * the upstream (auto-read is off). Event-loop confined; at most one listener is bound at a time
 * (HTTP/1.1 without pipelining upstream).
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    /** What the bound exchange is told; every message handed over is the listener's to release. */
    interface Listener {
        /** The response head; a failed decoder result means a malformed response. */
        void onUpstreamHead(HttpResponse head);

        /** A piece of the body; the last piece is a {@link LastHttpContent} and ends the response. */
        void onUpstreamContent(HttpContent content);

        /** A read batch ended before the response was complete: read on when ready. */
        void onUpstreamReadComplete();

        /** The connection closed (cause null) or failed before the response completed. */
        void onUpstreamFailure(@Nullable Throwable cause);

        /** The connection takes writes again (a streamed request body goes on). */
        default void onUpstreamWritable() {}
    }

    private @Nullable Listener listener;
    /** Set once the connection became a WebSocket tunnel: bytes the codec passes go there. */
    private @Nullable ByteTunnel tunnel;

    private boolean bytesReceived;
    /** Between the head of a response and its last content. */
    private boolean inResponse;
    /** Between the head of a skipped 1xx response and its (empty) last content. */
    private boolean skipping;

    void bind(Listener exchange) {
        listener = exchange;
        bytesReceived = false;
        inResponse = false;
    }

    void unbind() {
        listener = null;
    }

    /** The connection is a tunnel now: raw bytes the codec still passes on (after the 101) go to it. */
    void tunnel(ByteTunnel to) {
        tunnel = to;
        listener = null;
    }

    /** Whether any byte arrived since the current exchange was bound. */
    boolean bytesReceived() {
        return bytesReceived;
    }

    /** A handler for the head of the pipeline that notes raw bytes arriving. */
    ChannelHandler readTracker() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytesReceived = true;
                ctx.fireChannelRead(msg);
            }
        };
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteTunnel to = tunnel;
        if (to != null) {
            if (msg instanceof ByteBuf bytes) {
                to.fromUpstream(bytes);
            } else {
                // The decoder's empty last content after the 101.
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof HttpResponse head) {
            onHead(ctx, head);
        } else if (msg instanceof HttpContent content) {
            onContent(ctx, content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(ChannelHandlerContext ctx, HttpResponse head) {
        int code = head.status().code();
        if (code >= 100 && code < 200 && code != 101 && head.decoderResult().isSuccess()) {
            ReferenceCountUtil.release(head);
            skipping = !(head instanceof LastHttpContent);
            ctx.read();
            return;
        }
        Listener current = listener;
        if (current == null || inResponse) {
            // A response nobody asked for: the connection is out of step, drop it.
            ReferenceCountUtil.release(head);
            ctx.close();
            return;
        }
        inResponse = true;
        if (head instanceof FullHttpResponse full) {
            // HTTP/2 streams translate a HEADERS frame with END_STREAM (or a small response) to
            // one message: hand it over as a head and a last content sharing its buffers.
            current.onUpstreamHead(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
            if (listener == current) {
                onContent(ctx, new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
            } else {
                full.release();
            }
            return;
        }
        current.onUpstreamHead(head);
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        if (skipping) {
            skipping = !(content instanceof LastHttpContent);
            content.release();
            ctx.read();
            return;
        }
        Listener current = listener;
        if (current == null || !inResponse) {
            content.release();
            return;
        }
        if (content instanceof LastHttpContent) {
            inResponse = false;
            listener = null;
        }
        current.onUpstreamContent(content);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (tunnel != null) {
            return;
        }
        Listener current = listener;
        if (current != null && inResponse) {
            current.onUpstreamReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Listener current = listener;
        if (current != null && ctx.channel().isWritable()) {
            current.onUpstreamWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Listener current = listener;
        listener = null;
        if (current != null) {
            current.onUpstreamFailure(null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Listener current = listener;
        listener = null;
        ctx.close();
        if (current != null) {
            current.onUpstreamFailure(cause);
        }
    }
}

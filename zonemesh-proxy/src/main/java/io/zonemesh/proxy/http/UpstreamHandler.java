package io.zonemesh.proxy.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.common.Nullable;

/**
 * The last handler of an upstream connection: hands the aggregated response of the request in
 * flight to its exchange, and reports the connection closing or failing under it. Informational
 * 1xx responses are skipped (the proxy already answered {@code Expect} itself). Event-loop
 * confined; at most one exchange is bound at a time (HTTP/1.1 without pipelining upstream).
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    /** What the bound exchange is told. */
    interface Listener {
        void onUpstreamResponse(FullHttpResponse response);

        /** The connection closed (cause null) or failed before the response completed. */
        void onUpstreamFailure(@Nullable Throwable cause);
    }

    private @Nullable Listener listener;
    private boolean bytesReceived;

    void bind(Listener exchange) {
        listener = exchange;
        bytesReceived = false;
    }

    void unbind() {
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
        if (!(msg instanceof FullHttpResponse response)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        int code = response.status().code();
        if (code >= 100 && code < 200 && code != 101 && response.decoderResult().isSuccess()) {
            response.release();
            ctx.read();
            return;
        }
        Listener current = listener;
        listener = null;
        if (current == null) {
            // A response nobody asked for: the connection is out of step, drop it.
            response.release();
            ctx.close();
            return;
        }
        current.onUpstreamResponse(response);
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

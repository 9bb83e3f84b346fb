package io.zonemesh.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.zonemesh.common.Nullable;

/**
 * Aggregates request bodies up to {@link HttpLimits#MAX_BODY_BYTES}: the proxy buffers every
 * request, so that it can be retried and mirrored (Envoy buffers for retries too). A request
 * without a body (no {@code Content-Length} or 0, no {@code Transfer-Encoding}, no
 * {@code Expect}: most GETs) skips the aggregator: its head and the empty last content that the
 * decoder emits right after it become one {@link FullHttpRequest} sharing the head's headers,
 * without the composite buffer, the wrapper and the {@code Content-Length: 0} the aggregator
 * would add. An oversized request is
 * not answered here (which could overtake responses to earlier pipelined requests): it is
 * passed on as a failed, bodiless request so that the exchange queue answers 413 in order and
 * closes the connection; the rest of its body is discarded.
 */
final class RequestAggregator extends HttpObjectAggregator {
    /** A bodiless request head waiting for its empty last content. */
    private @Nullable HttpRequest pending;
    /** Between a request's head and its last content. */
    private boolean midRequest;

    RequestAggregator() {
        super(HttpLimits.MAX_BODY_BYTES);
    }

    /** Whether part of a request has been decoded and the rest has not: a drain must not close now. */
    boolean midRequest() {
        return midRequest;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest && !(msg instanceof FullHttpMessage)) {
            midRequest = true;
        } else if (msg instanceof LastHttpContent) {
            midRequest = false;
        }
        HttpRequest head = pending;
        if (head != null) {
            pending = null;
            if (msg instanceof LastHttpContent last && !(msg instanceof FullHttpMessage)
                    && last.decoderResult().isSuccess() && !last.content().isReadable()
                    && last.trailingHeaders().isEmpty()) {
                last.release();
                ctx.fireChannelRead(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                        Unpooled.EMPTY_BUFFER, head.headers(), EmptyHttpHeaders.INSTANCE));
                return;
            }
            super.channelRead(ctx, head);
            super.channelRead(ctx, msg);
            return;
        }
        if (msg instanceof HttpRequest request && !(msg instanceof FullHttpMessage) && bodiless(request)) {
            pending = request;
            return;
        }
        super.channelRead(ctx, msg);
    }

    private static boolean bodiless(HttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!request.decoderResult().isSuccess() || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)
                || headers.contains(HttpHeaderNames.EXPECT)) {
            return false;
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        return length == null || length.equals("0");
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (pending != null && !ctx.channel().config().isAutoRead()) {
            // The decoder emits a bodiless request's last content with its head; just in case.
            ctx.read();
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest head)) {
            ctx.close();
            return;
        }
        DefaultFullHttpRequest failed = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
                Unpooled.EMPTY_BUFFER, new DefaultHttpHeaders().add(head.headers()), new DefaultHttpHeaders());
        failed.setDecoderResult(DecoderResult.failure(new TooLongHttpContentException(
                "request body over " + HttpLimits.MAX_BODY_BYTES + " bytes")));
        ctx.fireChannelRead(failed);
    }
}

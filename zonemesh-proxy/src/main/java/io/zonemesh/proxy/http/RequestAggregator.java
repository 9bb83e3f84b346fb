package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.common.Nullable;
import java.util.Objects;

/**
 * Buffers a request body up to {@link #RETRY_BUFFER_BYTES}, as Envoy's router buffers a body
 * for retries and mirrors up to the connection's buffer limit: a request that ends within it is
 * passed on as one {@link FullHttpRequest} (retried and mirrored like any other); one that goes
 * past it is passed on as a {@link StreamingRequest} holding what was buffered, followed by the
 * rest of its body piece by piece, which the {@link DownstreamHandler} reads only as fast as the
 * upstream takes it. So a connection holds at most about the buffer, whatever the body's size.
 * {@code Expect: 100-continue} is answered here (as Envoy does unless told to proxy it).
 * Reads on by itself only while it buffers.
 */
final class RequestAggregator extends ChannelInboundHandlerAdapter {
    /** Envoy's {@code per_connection_buffer_limit_bytes} default, which bounds its retry buffer. */
    static final int RETRY_BUFFER_BYTES = 1024 * 1024;

    /** The head of the request being buffered, null when none is. */
    private @Nullable HttpRequest head;
    /** Its body so far; null until a non-empty piece arrived. */
    private @Nullable CompositeByteBuf body;
    /** A streaming request's body is passing through. */
    private boolean streaming;

    /** Whether part of a request has been decoded and the rest has not: a drain must not close now. */
    boolean midRequest() {
        return head != null || streaming;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (streaming) {
            if (msg instanceof LastHttpContent) {
                streaming = false;
            }
            ctx.fireChannelRead(msg);
            return;
        }
        if (head != null) {
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
            } else {
                // The decoder only sends a new head after the last content of the previous one.
                ReferenceCountUtil.release(msg);
            }
            return;
        }
        if (msg instanceof FullHttpRequest || !(msg instanceof HttpRequest request)) {
            // A request the decoder rejected, an HTTP/2 request without a body, or stray content.
            ctx.fireChannelRead(msg);
            return;
        }
        if (!request.decoderResult().isSuccess()) {
            // A malformed head: the decoder discards the rest; the exchange answers its status.
            DefaultFullHttpRequest failed = new DefaultFullHttpRequest(
                    request.protocolVersion(),
                    request.method(),
                    request.uri(),
                    Unpooled.EMPTY_BUFFER,
                    request.headers(),
                    EmptyHttpHeaders.INSTANCE);
            failed.setDecoderResult(request.decoderResult());
            ReferenceCountUtil.release(request);
            ctx.fireChannelRead(failed);
            return;
        }
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
            request.headers().remove(HttpHeaderNames.EXPECT);
        }
        head = request;
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        // The decoder emits a request's contents only after its head, which set this.
        HttpRequest request = Objects.requireNonNull(head, "content without its request head");
        if (!content.decoderResult().isSuccess()) {
            // A malformed chunk: the decoder drops the rest of the connection's bytes.
            content.release();
            reset();
            DefaultFullHttpRequest failed = new DefaultFullHttpRequest(
                    request.protocolVersion(),
                    request.method(),
                    request.uri(),
                    Unpooled.EMPTY_BUFFER,
                    request.headers(),
                    EmptyHttpHeaders.INSTANCE);
            failed.setDecoderResult(content.decoderResult());
            ctx.fireChannelRead(failed);
            return;
        }
        int buffered = body == null ? 0 : body.readableBytes();
        boolean last = content instanceof LastHttpContent;
        if (buffered + content.content().readableBytes() > RETRY_BUFFER_BYTES) {
            ByteBuf sofar = body == null ? Unpooled.EMPTY_BUFFER : body;
            head = null;
            body = null;
            streaming = !last;
            ctx.fireChannelRead(new StreamingRequest(request, sofar));
            ctx.fireChannelRead(content);
            return;
        }
        if (content.content().isReadable()) {
            if (body == null) {
                body = ctx.alloc().compositeBuffer();
            }
            body.addComponent(true, content.content().retain());
        }
        if (!last) {
            content.release();
            return;
        }
        LastHttpContent end = (LastHttpContent) content;
        HttpHeaders trailers = end.trailingHeaders().isEmpty()
                ? EmptyHttpHeaders.INSTANCE
                : new DefaultHttpHeaders().add(end.trailingHeaders());
        end.release();
        ByteBuf whole = body == null ? Unpooled.EMPTY_BUFFER : body;
        head = null;
        body = null;
        HttpHeaders headers = request.headers();
        if (whole.isReadable() || headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            // The body is whole now: sent upstream with its length (the chunked framing is hop-by-hop).
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, whole.readableBytes());
        }
        DefaultFullHttpRequest full = new DefaultFullHttpRequest(
                request.protocolVersion(), request.method(), request.uri(), whole, headers, trailers);
        full.setDecoderResult(request.decoderResult());
        ctx.fireChannelRead(full);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (head != null && !ctx.channel().config().isAutoRead()) {
            // Buffering: the body up to the buffer is read without waiting for the exchange.
            ctx.read();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        reset();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reset();
        ctx.fireChannelInactive();
    }

    private void reset() {
        head = null;
        streaming = false;
        if (body != null) {
            body.release();
            body = null;
        }
    }
}

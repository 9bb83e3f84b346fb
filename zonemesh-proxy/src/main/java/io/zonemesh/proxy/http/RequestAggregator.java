package io.zonemesh.proxy.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * Aggregates request bodies up to {@link HttpLimits#MAX_BODY_BYTES}. An oversized request is
 * not answered here (which could overtake responses to earlier pipelined requests): it is
 * passed on as a failed, bodiless request so that the exchange queue answers 413 in order and
 * closes the connection; the rest of its body is discarded.
 */
final class RequestAggregator extends HttpObjectAggregator {

    RequestAggregator() {
        super(HttpLimits.MAX_BODY_BYTES);
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

package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Responses the proxy answers itself, with Envoy's bodies. */
final class LocalReplies {
    static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";
    static final String CONNECT_FAILURE =
            "upstream connect error or disconnect/reset before headers. reset reason: connection failure";
    static final String CONNECTION_TERMINATION =
            "upstream connect error or disconnect/reset before headers. reset reason: connection termination";
    static final String PROTOCOL_ERROR =
            "upstream connect error or disconnect/reset before headers. reset reason: protocol error";
    static final String TIMEOUT = "upstream request timeout";
    /** Envoy's body when the stream idle timeout fires. */
    static final String STREAM_TIMEOUT = "stream timeout";

    private LocalReplies() {}

    static FullHttpResponse create(ByteBufAllocator alloc, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, body.isEmpty() ? alloc.buffer(0) : ByteBufUtil.writeUtf8(alloc, body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (!body.isEmpty()) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
        }
        return response;
    }
}

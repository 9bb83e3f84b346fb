package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpRequest;

/**
 * A request whose body went past the retry buffer ({@link RequestAggregator#RETRY_BUFFER_BYTES}):
 * {@link #content()} holds the part buffered so far, and the rest follows on the channel as
 * {@code HttpContent} messages, the last a {@code LastHttpContent} (which carries any trailers).
 * Such a request is streamed upstream as it arrives, and is neither retried nor mirrored, as
 * Envoy does once a request overflows its buffer limit.
 */
final class StreamingRequest extends DefaultFullHttpRequest {

    StreamingRequest(HttpRequest head, ByteBuf buffered) {
        super(head.protocolVersion(), head.method(), head.uri(), buffered, head.headers(), new DefaultHttpHeaders());
        setDecoderResult(head.decoderResult());
    }
}

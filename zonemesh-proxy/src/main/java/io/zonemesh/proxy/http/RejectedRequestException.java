package io.zonemesh.proxy.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * Why {@link Http1RequestScanner} refused a request, with the status Envoy answers it with. It
 * travels as the cause of a failed decoder result, so that the exchange queue answers it in
 * order behind earlier pipelined requests ({@link MalformedRequests}).
 */
final class RejectedRequestException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    RejectedRequestException(HttpResponseStatus status, String message) {
        super(message);
        this.status = Objects.requireNonNull(status, "status");
    }

    HttpResponseStatus status() {
        return status;
    }
}

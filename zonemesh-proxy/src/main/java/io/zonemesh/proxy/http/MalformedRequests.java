package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.zonemesh.common.Nullable;

/** The status for a request the HTTP/1.1 decoder rejected, as Envoy answers them. */
final class MalformedRequests {
    private MalformedRequests() {}

    static HttpResponseStatus status(@Nullable Throwable cause) {
        if (cause instanceof RejectedRequestException rejected) {
            return rejected.status();
        }
        if (cause instanceof TooLongHttpLineException) {
            return HttpResponseStatus.REQUEST_URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        }
        if (cause instanceof TooLongHttpContentException) {
            return HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
        }
        return HttpResponseStatus.BAD_REQUEST;
    }
}

package io.zonemesh.proxy.http;

/** Size limits of the HTTP codecs, on both sides of the proxy. */
final class HttpLimits {
    /** Request line limit; longer lines are answered 414. */
    static final int MAX_INITIAL_LINE = 16 * 1024;
    /** Envoy's {@code max_request_headers_kb} default (60 KiB); larger headers are answered 431. */
    static final int MAX_HEADER_BYTES = 60 * 1024;

    static final int MAX_CHUNK = 8 * 1024;

    // No body limit here: bodies stream with bounded buffers (RequestAggregator's retry buffer,
    // the upstream connection's writability), as Envoy's do.

    private HttpLimits() {}
}

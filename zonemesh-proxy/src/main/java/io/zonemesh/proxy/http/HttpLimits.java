package io.zonemesh.proxy.http;

/** Size limits of the HTTP codecs, on both sides of the proxy. */
final class HttpLimits {
    /** Request line limit; longer lines are answered 414. */
    static final int MAX_INITIAL_LINE = 16 * 1024;
    /** Envoy's {@code max_request_headers_kb} default (60 KiB); larger headers are answered 431. */
    static final int MAX_HEADER_BYTES = 60 * 1024;
    static final int MAX_CHUNK = 8 * 1024;
    /**
     * Request bodies are buffered up to this size (larger: 413); response bodies are streamed
     * up to it (a larger Content-Length: 502 UPE; a chunked body growing past it resets the client).
     */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private HttpLimits() {}
}

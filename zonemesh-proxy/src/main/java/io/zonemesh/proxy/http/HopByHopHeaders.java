package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1):
 * {@code Connection} and every header it names, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code TE}, {@code Trailer}, {@code Transfer-Encoding} and {@code Upgrade}; and the two headers
 * addressed to the proxy itself, {@code Proxy-Authorization} and {@code Proxy-Authenticate}
 * (RFC 9110 §11.7.1–2: they apply to the next proxy on the chain only, and forwarding the first
 * would hand the client's proxy credentials to the application). The proxy frames each side
 * itself: a {@code Content-Length} is kept, a body of unknown length is re-chunked.
 */
final class HopByHopHeaders {
    private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");

    private HopByHopHeaders() {}

    static void strip(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            List<String> named = null;
            Iterator<String> values = headers.valueStringIterator(HttpHeaderNames.CONNECTION);
            while (values.hasNext()) {
                String value = values.next();
                // The usual values name only headers removed below anyway: no need to split them.
                if (value.equalsIgnoreCase("keep-alive") || value.equalsIgnoreCase("close")) {
                    continue;
                }
                for (String token : value.split(",")) {
                    String trimmed = token.trim();
                    if (!trimmed.isEmpty()) {
                        if (named == null) {
                            named = new ArrayList<>();
                        }
                        named.add(trimmed);
                    }
                }
            }
            headers.remove(HttpHeaderNames.CONNECTION);
            if (named != null) {
                for (String name : named) {
                    headers.remove(name);
                }
            }
        }
        headers.remove(KEEP_ALIVE);
        headers.remove(PROXY_CONNECTION);
        headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
        headers.remove(HttpHeaderNames.PROXY_AUTHENTICATE);
        headers.remove(HttpHeaderNames.TE);
        headers.remove(HttpHeaderNames.TRAILER);
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        headers.remove(HttpHeaderNames.UPGRADE);
    }
}

package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.zonemesh.proxy.config.ClusterSpecifier;
import io.zonemesh.proxy.config.RouteRule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The two forms of a downstream request the exchange derives: the matching view and the upstream copy. */
final class RequestViews {
    private RequestViews() {}

    /** Removes the x-http2-* headers Netty's HTTP/2-to-HTTP/1 translation adds; they are not HTTP. */
    static void stripHttp2Extensions(HttpHeaders headers) {
        // Walks the entries without building the name set: most messages have none of these.
        List<CharSequence> found = null;
        Iterator<Map.Entry<CharSequence, CharSequence>> entries = headers.iteratorCharSequence();
        while (entries.hasNext()) {
            CharSequence name = entries.next().getKey();
            if (name.length() >= 8 && AsciiString.regionMatches(name, true, 0, "x-http2-", 0, 8)) {
                if (found == null) {
                    found = new ArrayList<>(4);
                }
                found.add(name);
            }
        }
        if (found != null) {
            for (CharSequence name : found) {
                headers.remove(name);
            }
        }
    }

    /** {@code HTTP/2} for a request that arrived on an HTTP/2 stream, else the request line's version. */
    static String protocol(FullHttpRequest request) {
        return request.headers().contains("x-http2-stream-id")
                ? "HTTP/2"
                : request.protocolVersion().text();
    }

    /** The request headers as route matching and hashing see them: see {@link MatchHeaders}. */
    static HttpHeaders matchHeaders(FullHttpRequest request, RequestTarget target, String scheme) {
        return new MatchHeaders(
                request.headers(), target.authority(), request.method().name(), target.path(), scheme);
    }

    /**
     * The request to send upstream: origin form with the route's rewrites, hop-by-hop headers
     * stripped, header edits applied and the (rewritten) authority as Host. Shares the body and
     * takes over the downstream request's headers, edited in place rather than copied: call it
     * after everything that reads the request's original headers (matching, hashing).
     */
    static FullHttpRequest upstreamRequest(
            FullHttpRequest request, RouteRule route, ClusterSpecifier.Choice choice, RequestTarget target) {
        FullHttpRequest copy = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1,
                request.method(),
                route.upstreamPath(target.path()),
                request.content().retainedDuplicate(),
                request.headers(),
                request.trailingHeaders());
        HopByHopHeaders.strip(copy.headers());
        stripHttp2Extensions(copy.headers());
        // The proxy already answered any Expect itself while aggregating the body.
        copy.headers().remove(HttpHeaderNames.EXPECT);
        // Envoy evaluates header edits from the most specific level (the weighted cluster) to
        // the least (the route), so the route's overwrite the cluster entry's.
        choice.headerEdits().applyToRequest(copy.headers());
        route.headerEdits().applyToRequest(copy.headers());
        String hostRewrite = choice.hostRewrite() != null
                ? choice.hostRewrite()
                : Objects.requireNonNull(route.action(), "a forwarded route has an action")
                        .hostRewrite();
        copy.headers().set(HttpHeaderNames.HOST, hostRewrite != null ? hostRewrite : target.authority());
        return copy;
    }
}

package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.zonemesh.proxy.config.ClusterSpecifier;
import io.zonemesh.proxy.config.RouteRule;

/** The two forms of a downstream request the exchange derives: the matching view and the upstream copy. */
final class RequestViews {
    private RequestViews() {}

    /**
     * The request headers as route matching and hashing see them: Envoy's HTTP/1 codec exposes
     * the request line as the {@code :method}, {@code :path}, {@code :scheme} and
     * {@code :authority} pseudo-headers, which header matchers (Istio's method, authority and
     * scheme matches) and hash policies read.
     */
    /** Removes the x-http2-* headers Netty's HTTP/2-to-HTTP/1 translation adds; they are not HTTP. */
    static void stripHttp2Extensions(HttpHeaders headers) {
        headers.names().stream().filter(n -> n.regionMatches(true, 0, "x-http2-", 0, 8)).toList()
                .forEach(headers::remove);
    }

    /** {@code HTTP/2} for a request that arrived on an HTTP/2 stream, else the request line's version. */
    static String protocol(FullHttpRequest request) {
        return request.headers().contains("x-http2-stream-id") ? "HTTP/2" : request.protocolVersion().text();
    }

    static HttpHeaders matchHeaders(FullHttpRequest request, RequestTarget target, String scheme) {
        HttpHeaders headers = new DefaultHttpHeaders(false).add(request.headers());
        headers.set(":authority", target.authority()).set(":method", request.method().name())
                .set(":path", target.path()).set(":scheme", scheme);
        return headers;
    }

    /**
     * The request to send upstream: origin form with the route's rewrites, hop-by-hop headers
     * stripped, header edits applied and the (rewritten) authority as Host. Shares the body.
     */
    static FullHttpRequest upstreamRequest(FullHttpRequest request, RouteRule route, ClusterSpecifier.Choice choice,
            RequestTarget target) {
        FullHttpRequest copy = request.replace(request.content().retainedDuplicate());
        copy.setProtocolVersion(HttpVersion.HTTP_1_1);
        copy.setUri(route.upstreamPath(target.path()));
        HopByHopHeaders.strip(copy.headers());
        stripHttp2Extensions(copy.headers());
        // The proxy already answered any Expect itself while aggregating the body.
        copy.headers().remove(HttpHeaderNames.EXPECT);
        // Envoy evaluates header edits from the most specific level (the weighted cluster) to
        // the least (the route), so the route's overwrite the cluster entry's.
        choice.headerEdits().applyToRequest(copy.headers());
        route.headerEdits().applyToRequest(copy.headers());
        String hostRewrite = choice.hostRewrite() != null ? choice.hostRewrite() : route.action().hostRewrite();
        copy.headers().set(HttpHeaderNames.HOST, hostRewrite != null ? hostRewrite : target.authority());
        return copy;
    }
}

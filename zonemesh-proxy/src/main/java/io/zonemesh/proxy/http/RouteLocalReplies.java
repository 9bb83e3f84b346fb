package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.zonemesh.proxy.config.LocalResponse;
import io.zonemesh.proxy.config.RouteRule;

/** The responses of {@code redirect} and {@code direct_response} routes. */
final class RouteLocalReplies {
    private RouteLocalReplies() {}

    static FullHttpResponse create(
            ByteBufAllocator alloc,
            RouteRule route,
            LocalResponse local,
            String scheme,
            String authority,
            String path) {
        if (local instanceof LocalResponse.Direct direct) {
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(direct.status()),
                    ByteBufUtil.writeUtf8(alloc, direct.body()));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            if (!direct.body().isEmpty()) {
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            }
            return response;
        }
        LocalResponse.Redirect redirect = (LocalResponse.Redirect) local;
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(redirect.status()), Unpooled.EMPTY_BUFFER);
        response.headers()
                .set(HttpHeaderNames.LOCATION, location(redirect, route, scheme, authority, path))
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }

    /**
     * Envoy's {@code RouteEntryImplBase::newUri}: scheme, host, port and path each replaced when
     * the redirect sets them. The request's port is kept unless {@code port_redirect} replaces
     * it, {@code host_redirect} drops it, or it is the default port of the old scheme while the
     * scheme changes (an {@code http://host:80} request redirected to https loses {@code :80}).
     */
    static String location(
            LocalResponse.Redirect redirect, RouteRule route, String scheme, String authority, String path) {
        String finalScheme = redirect.scheme() != null ? redirect.scheme() : scheme;
        String host = authority;
        String port = "";
        int colon = authority.lastIndexOf(':');
        if (colon > authority.lastIndexOf(']')) {
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
        }
        String finalPort;
        if (redirect.port() != 0) {
            finalPort = ":" + redirect.port();
        } else if (redirect.host() != null || port.isEmpty()) {
            finalPort = "";
        } else if (!finalScheme.equals(scheme) && port.equals(scheme.equals("https") ? "443" : "80")) {
            finalPort = "";
        } else {
            finalPort = ":" + port;
        }
        String finalHost = redirect.host() != null ? redirect.host() : host;
        int q = path.indexOf('?');
        String pathOnly = q < 0 ? path : path.substring(0, q);
        String query = q < 0 || redirect.stripQuery() ? "" : path.substring(q);
        String finalPath;
        if (redirect.path() != null) {
            // A query in path_redirect replaces the request's and is never stripped.
            finalPath = redirect.path().contains("?") ? redirect.path() : redirect.path() + query;
        } else if (redirect.prefixRewrite() != null) {
            finalPath = route.rewritePrefix(redirect.prefixRewrite(), pathOnly) + query;
        } else {
            finalPath = pathOnly + query;
        }
        return finalScheme + "://" + finalHost + finalPort + finalPath;
    }
}

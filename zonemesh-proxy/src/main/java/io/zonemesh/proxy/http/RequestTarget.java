package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.zonemesh.common.Nullable;
import java.util.Objects;

/**
 * Where a request is going: the authority to route on and the origin-form path to forward.
 * An application using the proxy as its {@code http_proxy} sends the absolute form
 * ({@code GET http://helloworld.sample:5000/hello}); a captured or direct request sends the
 * origin form with a Host header. As Envoy with {@code allow_absolute_url}, the URI's
 * authority wins over the Host header.
 */
public record RequestTarget(String authority, String path) {

    public RequestTarget {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(path, "path");
    }

    /** The target of {@code request}, or null when it names no authority or uses a form not proxied. */
    public static @Nullable RequestTarget of(HttpRequest request) {
        String uri = request.uri();
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            int start = 7;
            int end = start;
            while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
                end++;
            }
            String authority = uri.substring(start, end);
            if (authority.isEmpty() || authority.indexOf('@') >= 0) {
                return null;
            }
            String rest = uri.substring(end);
            String path = rest.isEmpty() ? "/" : rest.charAt(0) == '/' ? rest : "/" + rest;
            return new RequestTarget(authority, path);
        }
        if (!uri.startsWith("/")) {
            // Authority form (CONNECT), asterisk form (OPTIONS *) and https:// are not proxied.
            return null;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || host.isEmpty()) {
            return null;
        }
        return new RequestTarget(host, uri);
    }
}

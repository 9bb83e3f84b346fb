package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Objects;

/** One Envoy {@code Route}: a path matcher, header matchers (all must match) and the action. */
public record RouteRule(String name, PathMatcher path, List<HeaderMatcher> headers, RouteAction action) {

    public RouteRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
        Objects.requireNonNull(action, "action");
    }

    /** Whether a request with this origin-form path and these headers selects this route. */
    public boolean matches(String requestPath, HttpHeaders requestHeaders) {
        if (!path.matches(requestPath)) {
            return false;
        }
        for (HeaderMatcher header : headers) {
            if (!header.matches(requestHeaders)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The path to send upstream: with {@code prefix_rewrite}, Envoy replaces the part the
     * {@code prefix} (or {@code path}) matcher matched and keeps the rest, query included.
     */
    public String upstreamPath(String requestPath) {
        String rewrite = action.prefixRewrite();
        if (rewrite == null) {
            return requestPath;
        }
        int matched;
        if (path instanceof PathMatcher.Prefix p) {
            matched = p.prefix().length();
        } else if (path instanceof PathMatcher.SeparatedPrefix p) {
            matched = p.prefix().length();
        } else if (path instanceof PathMatcher.Exact p) {
            matched = p.path().length();
        } else {
            // The parser rejects prefix_rewrite on regex routes, as Envoy does.
            throw new IllegalStateException("prefix_rewrite on " + path);
        }
        return rewrite + requestPath.substring(Math.min(matched, requestPath.length()));
    }
}

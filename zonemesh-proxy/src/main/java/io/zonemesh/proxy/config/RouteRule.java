package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One Envoy {@code Route}: a path matcher, header and query parameter matchers (all must
 * match), then either a {@link RouteAction} or a {@link LocalResponse}, plus the route's header
 * edits and its fault filter config.
 *
 * @param action the {@code route} action, null when {@code localResponse} answers instead
 * @param fault the route's {@code typed_per_filter_config} for the fault filter, null when unset
 *     (the filter-wide config applies); it replaces the filter-wide config, as in Envoy
 */
public record RouteRule(
        String name,
        PathMatcher path,
        List<HeaderMatcher> headers,
        List<QueryParameterMatcher> queryParameters,
        @Nullable RouteAction action,
        @Nullable LocalResponse localResponse,
        HeaderEdits headerEdits,
        @Nullable FaultConfig fault) {

    public RouteRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
        queryParameters = List.copyOf(queryParameters);
        if ((action == null) == (localResponse == null)) {
            throw new IllegalArgumentException(
                    "action: " + action + " (expected: exactly one of action and " + "localResponse)");
        }
        Objects.requireNonNull(headerEdits, "headerEdits");
    }

    /** A route forwarding with {@code action}, matching on path and headers only. */
    public RouteRule(String name, PathMatcher path, List<HeaderMatcher> headers, RouteAction action) {
        this(name, path, headers, List.of(), action, null, HeaderEdits.NONE, null);
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
        if (!queryParameters.isEmpty()) {
            Map<String, List<String>> parameters = QueryParameterMatcher.parse(requestPath);
            for (QueryParameterMatcher parameter : queryParameters) {
                if (!parameter.matches(parameters)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The path to send upstream: with {@code prefix_rewrite}, Envoy replaces the part the
     * {@code prefix} (or {@code path}) matcher matched and keeps the rest, query included; with
     * {@code regex_rewrite} it rewrites the path and keeps the query.
     */
    public String upstreamPath(String requestPath) {
        RouteAction.RegexRewrite regex = action == null ? null : action.regexRewrite();
        if (regex != null) {
            int query = requestPath.indexOf('?');
            String pathOnly = query < 0 ? requestPath : requestPath.substring(0, query);
            return regex.apply(pathOnly) + (query < 0 ? "" : requestPath.substring(query));
        }
        String rewrite = action == null ? null : action.prefixRewrite();
        return rewrite == null ? requestPath : rewritePrefix(rewrite, requestPath);
    }

    /** Replaces the part of {@code requestPath} this route's path matcher matched with {@code rewrite}. */
    public String rewritePrefix(String rewrite, String requestPath) {
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

package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Envoy's {@code QueryParameterMatcher}: the named parameter's first value (decoded) must satisfy
 * {@code string_match}; with {@code present_match} (match null) the parameter must be there, or
 * for {@code present_match: false} must not.
 */
public record QueryParameterMatcher(String name, @Nullable StringMatch match, boolean present) {

    public QueryParameterMatcher {
        Objects.requireNonNull(name, "name");
    }

    public boolean matches(Map<String, List<String>> parameters) {
        List<String> values = parameters.get(name);
        boolean there = values != null && !values.isEmpty();
        if (match == null) {
            return there == present;
        }
        return values != null && !values.isEmpty() && match.matches(values.get(0));
    }

    /** The decoded query parameters of an origin-form path. */
    public static Map<String, List<String>> parse(String requestPath) {
        return new QueryStringDecoder(requestPath).parameters();
    }
}

package io.zonemesh.xds.route;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * VirtualService {@code match} entries to Envoy {@code RouteMatch}, Istio's {@code TranslateRouteMatch}:
 * the URI becomes the path specifier, {@code headers} header matchers sorted by name, then
 * {@code method}, {@code authority} and {@code scheme} as the {@code :method}, {@code :authority}
 * and {@code :scheme} pseudo-header matchers, and {@code queryParams} query parameter matchers
 * (sorted by name; the model does not keep their written order).
 */
public final class RouteMatches {
    public static final String METHOD = ":method";
    public static final String AUTHORITY = ":authority";
    public static final String SCHEME = ":scheme";

    private RouteMatches() {}

    /** Prefix {@code /}: what a rule without {@code match} (or a default route) matches. */
    public static RouteMatch catchAll() {
        return RouteMatch.newBuilder().setPrefix("/").build();
    }

    /** The first regex in {@code m} that cannot be compiled, described, or null. */
    public static @Nullable String problem(HttpMatch m) {
        List<StringMatch> all = new ArrayList<>();
        all.add(m.uri());
        all.add(m.method());
        all.add(m.authority());
        all.add(m.scheme());
        all.addAll(new TreeMap<>(m.headers()).values());
        all.addAll(new TreeMap<>(m.queryParams()).values());
        for (StringMatch s : all) {
            if (s != null && s.kind() == StringMatch.Kind.REGEX && !isPresentRegex(s)) {
                String problem = Regexes.problem(s.value());
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    /**
     * The Envoy match. {@code case_sensitive} is always set (Istio: {@code !ignoreUriCase}); it applies
     * to the path only.
     */
    public static RouteMatch of(HttpMatch m) {
        RouteMatch.Builder out = RouteMatch.newBuilder();
        StringMatch uri = m.uri();
        if (uri == null) {
            out.setPrefix("/");
        } else {
            switch (uri.kind()) {
                case EXACT -> out.setPath(uri.value());
                case REGEX -> out.setSafeRegex(Regexes.safeRegex(uri.value()));
                default -> out.setPrefix(uri.value());
            }
        }
        out.setCaseSensitive(BoolValue.of(!m.ignoreUriCase()));
        for (Map.Entry<String, StringMatch> e : new TreeMap<>(m.headers()).entrySet()) {
            out.addHeaders(header(e.getKey(), e.getValue()));
        }
        if (m.method() != null) {
            out.addHeaders(header(METHOD, m.method()));
        }
        if (m.authority() != null) {
            out.addHeaders(header(AUTHORITY, m.authority()));
        }
        if (m.scheme() != null) {
            out.addHeaders(header(SCHEME, m.scheme()));
        }
        for (Map.Entry<String, StringMatch> e : new TreeMap<>(m.queryParams()).entrySet()) {
            QueryParameterMatcher.Builder q = QueryParameterMatcher.newBuilder().setName(e.getKey());
            if (isPresent(e.getValue())) {
                q.setPresentMatch(true);
            } else {
                q.setStringMatch(stringMatcher(e.getValue()));
            }
            out.addQueryParameters(q);
        }
        return out.build();
    }

    /**
     * Istio's {@code IsCatchAllRoute}: prefix {@code /} or regex {@code .*} with no header or query
     * parameter condition. Routes after a catch-all can never match, so Istio stops there.
     */
    public static boolean isCatchAll(RouteMatch match) {
        boolean path = switch (match.getPathSpecifierCase()) {
            case PREFIX -> match.getPrefix().equals("/");
            case SAFE_REGEX -> match.getSafeRegex().getRegex().equals(".*");
            default -> false;
        };
        return path && match.getHeadersCount() == 0 && match.getQueryParametersCount() == 0;
    }

    /** Envoy {@code StringMatcher} for an exact, prefix or regex match. */
    public static StringMatcher stringMatcher(StringMatch m) {
        StringMatcher.Builder out = StringMatcher.newBuilder();
        switch (m.kind()) {
            case EXACT -> out.setExact(m.value());
            case PREFIX -> out.setPrefix(m.value());
            case REGEX -> out.setSafeRegex(Regexes.safeRegex(m.value()));
            default -> throw new IllegalArgumentException("kind: " + m.kind() + " (expected: EXACT, PREFIX or REGEX)");
        }
        return out.build();
    }

    private static HeaderMatcher header(String name, StringMatch m) {
        HeaderMatcher.Builder out = HeaderMatcher.newBuilder().setName(name);
        if (isPresent(m)) {
            out.setPresentMatch(true);
        } else {
            out.setStringMatch(stringMatcher(m));
        }
        return out.build();
    }

    /**
     * An empty StringMatch, and Istio's special regex {@code *} (not RE2, a "match anything" users
     * write, istio/istio#20629), mean "present with any value".
     */
    private static boolean isPresent(StringMatch m) {
        return m.kind() == StringMatch.Kind.PRESENT || isPresentRegex(m);
    }

    private static boolean isPresentRegex(StringMatch m) {
        return m.kind() == StringMatch.Kind.REGEX && m.value().equals("*");
    }
}

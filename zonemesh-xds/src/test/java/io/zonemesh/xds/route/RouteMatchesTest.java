package io.zonemesh.xds.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.HttpMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch;
import io.zonemesh.model.istio.VirtualServiceConfig.StringMatch.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteMatchesTest {

    private static HttpMatch uri(StringMatch uri, boolean ignoreCase) {
        return new HttpMatch(
                null, uri, null, null, null, Map.of(), Map.of(), null, Map.of(), List.of(), null, ignoreCase);
    }

    private static StringMatch m(Kind kind, String value) {
        return new StringMatch(kind, value);
    }

    @Test
    void uriExactPrefixAndRegexBecomePathPrefixAndSafeRegex() {
        RouteMatch exact = RouteMatches.of(uri(m(Kind.EXACT, "/login"), false));
        RouteMatch prefix = RouteMatches.of(uri(m(Kind.PREFIX, "/v3"), false));
        RouteMatch regex = RouteMatches.of(uri(m(Kind.REGEX, "/users/[0-9]+"), false));

        assertThat(exact.getPath()).isEqualTo("/login");
        assertThat(prefix.getPrefix()).isEqualTo("/v3");
        assertThat(regex.getSafeRegex().getRegex()).isEqualTo("/users/[0-9]+");
        assertThat(regex.getSafeRegex().hasGoogleRe2()).isTrue();
    }

    @Test
    void caseSensitivityIsAlwaysSetAndFollowsIgnoreUriCase() {
        assertThat(RouteMatches.of(uri(m(Kind.PREFIX, "/A"), false))
                        .getCaseSensitive()
                        .getValue())
                .isTrue();
        assertThat(RouteMatches.of(uri(m(Kind.PREFIX, "/A"), true))
                        .getCaseSensitive()
                        .getValue())
                .isFalse();
        assertThat(RouteMatches.of(uri(null, false)).getPrefix()).isEqualTo("/");
    }

    @Test
    void headersAreSortedByNameThenMethodAuthorityAndSchemeFollowAsPseudoHeaders() {
        HttpMatch match = new HttpMatch(
                null,
                null,
                m(Kind.EXACT, "GET"),
                m(Kind.PREFIX, "shop."),
                m(Kind.EXACT, "https"),
                Map.of(
                        "x-zeta", m(Kind.REGEX, "a+"),
                        "user", m(Kind.EXACT, "alice"),
                        "x-any", m(Kind.PRESENT, ""),
                        "x-star", m(Kind.REGEX, "*"),
                        "x-beta", m(Kind.PREFIX, "b")),
                Map.of(),
                null,
                Map.of(),
                List.of(),
                null,
                false);

        List<HeaderMatcher> headers = RouteMatches.of(match).getHeadersList();

        assertThat(headers)
                .extracting(HeaderMatcher::getName)
                .containsExactly("user", "x-any", "x-beta", "x-star", "x-zeta", ":method", ":authority", ":scheme");
        assertThat(headers.get(0).getStringMatch().getExact()).isEqualTo("alice");
        assertThat(headers.get(1).getPresentMatch()).isTrue();
        assertThat(headers.get(2).getStringMatch().getPrefix()).isEqualTo("b");
        // Istio treats the regex "*" (not valid RE2) as "header present".
        assertThat(headers.get(3).getPresentMatch()).isTrue();
        assertThat(headers.get(4).getStringMatch().getSafeRegex().getRegex()).isEqualTo("a+");
        assertThat(headers.get(5).getStringMatch().getExact()).isEqualTo("GET");
        assertThat(headers.get(6).getStringMatch().getPrefix()).isEqualTo("shop.");
    }

    @Test
    void queryParametersBecomeQueryParameterMatchers() {
        HttpMatch match = new HttpMatch(
                null,
                null,
                null,
                null,
                null,
                Map.of(),
                Map.of("debug", m(Kind.PRESENT, ""), "api", m(Kind.EXACT, "v2")),
                null,
                Map.of(),
                List.of(),
                null,
                false);

        RouteMatch out = RouteMatches.of(match);

        assertThat(out.getQueryParametersList()).extracting(q -> q.getName()).containsExactly("api", "debug");
        assertThat(out.getQueryParameters(0).getStringMatch().getExact()).isEqualTo("v2");
        assertThat(out.getQueryParameters(1).getPresentMatch()).isTrue();
        assertThat(RouteMatches.isCatchAll(out)).isFalse();
    }

    @Test
    void onlyAnUnconditionalSlashPrefixOrDotStarRegexIsACatchAll() {
        assertThat(RouteMatches.isCatchAll(RouteMatches.catchAll())).isTrue();
        assertThat(RouteMatches.isCatchAll(RouteMatches.of(uri(m(Kind.REGEX, ".*"), false))))
                .isTrue();
        assertThat(RouteMatches.isCatchAll(RouteMatches.of(uri(m(Kind.PREFIX, "/v1"), false))))
                .isFalse();
        HttpMatch header = new HttpMatch(
                null,
                null,
                null,
                null,
                null,
                Map.of("user", m(Kind.EXACT, "a")),
                Map.of(),
                null,
                Map.of(),
                List.of(),
                null,
                false);
        assertThat(RouteMatches.isCatchAll(RouteMatches.of(header))).isFalse();
    }

    @Test
    void reportsARegexThatDoesNotCompileWhereverItIs() {
        HttpMatch badHeader = new HttpMatch(
                null,
                null,
                null,
                null,
                null,
                Map.of("x", m(Kind.REGEX, "(unclosed")),
                Map.of(),
                null,
                Map.of(),
                List.of(),
                null,
                false);

        assertThat(RouteMatches.problem(uri(m(Kind.REGEX, "[a-"), false))).contains("[a-");
        assertThat(RouteMatches.problem(badHeader)).contains("(unclosed");
        assertThat(RouteMatches.problem(uri(m(Kind.REGEX, "/ok.*"), false))).isNull();
    }
}

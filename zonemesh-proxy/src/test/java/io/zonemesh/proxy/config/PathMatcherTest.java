package io.zonemesh.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PathMatcherTest {

    @Test
    void prefixMatchesTheStartOfThePathAndHonoursCaseSensitivity() {
        assertThat(new PathMatcher.Prefix("/api", true).matches("/api/items?x=1"))
                .isTrue();
        assertThat(new PathMatcher.Prefix("/api", true).matches("/API/items")).isFalse();
        assertThat(new PathMatcher.Prefix("/api", false).matches("/API/items")).isTrue();
        assertThat(new PathMatcher.Prefix("/api", true).matches("/ap")).isFalse();
    }

    @Test
    void exactPathIgnoresQueryStringAndFragment() {
        PathMatcher exact = new PathMatcher.Exact("/hello", true);

        assertThat(exact.matches("/hello")).isTrue();
        assertThat(exact.matches("/hello?name=x")).isTrue();
        assertThat(exact.matches("/hello#top")).isTrue();
        assertThat(exact.matches("/hello/")).isFalse();
        assertThat(new PathMatcher.Exact("/hello", false).matches("/HELLO?x")).isTrue();
    }

    @Test
    void safeRegexMustMatchTheWholePathWithoutQuery() {
        PathMatcher regex = new PathMatcher.SafeRegex(Pattern.compile("/products/\\d+"));

        assertThat(regex.matches("/products/123")).isTrue();
        assertThat(regex.matches("/products/123?sort=asc")).isTrue();
        assertThat(regex.matches("/products/abc")).isFalse();
        assertThat(regex.matches("/api/products/123")).isFalse();
    }

    @Test
    void separatedPrefixMatchesWholeSegmentsOnly() {
        PathMatcher separated = new PathMatcher.SeparatedPrefix("/api", true);

        assertThat(separated.matches("/api")).isTrue();
        assertThat(separated.matches("/api/v1")).isTrue();
        assertThat(separated.matches("/api?x=1")).isTrue();
        assertThat(separated.matches("/apiv1")).isFalse();
    }

    @Test
    void prefixRewriteReplacesTheMatchedPrefixAndKeepsTheRest() {
        RouteRule rule = new RouteRule(
                "r",
                new PathMatcher.Prefix("/old", true),
                List.of(),
                new RouteAction(
                        new ClusterSpecifier.Single("c"),
                        Duration.ZERO,
                        "/new",
                        null,
                        null,
                        RetryPolicy.NONE,
                        List.of(),
                        List.of()));

        assertThat(rule.upstreamPath("/old/items?x=1")).isEqualTo("/new/items?x=1");
        RouteRule none =
                new RouteRule("r", new PathMatcher.Prefix("/old", true), List.of(), RouteAction.toCluster("c"));
        assertThat(none.upstreamPath("/old/items")).isEqualTo("/old/items");
    }
}

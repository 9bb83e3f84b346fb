package io.zonemesh.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.proxy.config.HeaderMatcher.ValueMatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeaderMatcherTest {

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.add(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    private static HeaderMatcher exact(String name, String value, boolean invert) {
        return new HeaderMatcher(name, new ValueMatch.Str(new StringMatch.Exact(value, false)), invert, false);
    }

    @Test
    void exactMatchComparesTheValueAndHeaderNamesAreCaseInsensitive() {
        HeaderMatcher matcher = exact("End-User", "jason", false);

        assertThat(matcher.matches(headers("end-user", "jason"))).isTrue();
        assertThat(matcher.matches(headers("END-USER", "jason"))).isTrue();
        assertThat(matcher.matches(headers("end-user", "Jason"))).isFalse();
    }

    @Test
    void missingHeaderMatchesNothingButAbsencePresentMatch() {
        assertThat(exact("x", "a", false).matches(headers())).isFalse();
        // Envoy: inverting does not turn a missing header into a match, except for present_match.
        assertThat(exact("x", "a", true).matches(headers())).isFalse();
        assertThat(new HeaderMatcher("x", new ValueMatch.Present(false), false, false).matches(headers()))
                .isTrue();
        assertThat(new HeaderMatcher("x", new ValueMatch.Present(true), true, false).matches(headers()))
                .isTrue();
        assertThat(new HeaderMatcher("x", new ValueMatch.Present(true), false, false).matches(headers()))
                .isFalse();
    }

    @Test
    void invertFlipsTheResultForPresentHeaders() {
        assertThat(exact("x", "a", true).matches(headers("x", "b"))).isTrue();
        assertThat(exact("x", "a", true).matches(headers("x", "a"))).isFalse();
    }

    @Test
    void treatMissingAsEmptyMatchesAgainstTheEmptyString() {
        HeaderMatcher matcher =
                new HeaderMatcher("x", new ValueMatch.Str(new StringMatch.Exact("", false)), false, true);

        assertThat(matcher.matches(headers())).isTrue();
    }

    @Test
    void severalValuesAreJoinedWithCommas() {
        HeaderMatcher matcher = exact("x", "a,b", false);

        assertThat(matcher.matches(headers("x", "a", "x", "b"))).isTrue();
    }

    @Test
    void rangeMatchIsHalfOpenAndNeedsAnInteger() {
        HeaderMatcher matcher = new HeaderMatcher("v", new ValueMatch.Range(1, 11), false, false);

        assertThat(matcher.matches(headers("v", "1"))).isTrue();
        assertThat(matcher.matches(headers("v", "10"))).isTrue();
        assertThat(matcher.matches(headers("v", "11"))).isFalse();
        assertThat(matcher.matches(headers("v", "ten"))).isFalse();
    }

    @Test
    void stringMatchersHonourIgnoreCaseExceptRegex() {
        assertThat(new StringMatch.Prefix("ab", true).matches("ABc")).isTrue();
        assertThat(new StringMatch.Suffix("bc", true).matches("aBC")).isTrue();
        assertThat(new StringMatch.Suffix("abcd", false).matches("bcd")).isFalse();
        assertThat(new StringMatch.Contains("B", true).matches("abc")).isTrue();
        assertThat(new StringMatch.Regex(Pattern.compile("v[0-9]+")).matches("v12"))
                .isTrue();
        assertThat(new StringMatch.Regex(Pattern.compile("v[0-9]+")).matches("xv12"))
                .isFalse();
    }
}

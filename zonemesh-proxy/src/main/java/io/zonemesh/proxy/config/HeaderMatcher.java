package io.zonemesh.proxy.config;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Envoy's {@code route.v3.HeaderMatcher}, with the semantics of Envoy's
 * {@code HeaderUtility::matchHeaders}: several values of one header are joined with
 * {@code ","}; a missing header matches only {@code present_match: false} (or, inverted,
 * {@code present_match: true}) unless {@code treat_missing_header_as_empty} is set; otherwise
 * {@code invert_match} flips the result.
 */
public record HeaderMatcher(String name, ValueMatch match, boolean invert, boolean treatMissingAsEmpty) {

    public HeaderMatcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(match, "match");
        name = name.toLowerCase(Locale.ROOT);
    }

    /** Whether the request headers satisfy this matcher. */
    public boolean matches(HttpHeaders headers) {
        List<String> values = headers.getAll(name);
        if (values.isEmpty() && !treatMissingAsEmpty) {
            if (match instanceof ValueMatch.Present present) {
                return invert == present.present();
            }
            return false;
        }
        String value = values.isEmpty() ? "" : values.size() == 1 ? values.get(0) : String.join(",", values);
        return match.matches(value) != invert;
    }

    /** What a header value must satisfy. */
    public sealed interface ValueMatch {
        boolean matches(String value);

        /** {@code present_match}: true when the header is present. */
        record Present(boolean present) implements ValueMatch {
            @Override
            public boolean matches(String value) {
                return present;
            }
        }

        /** {@code range_match}: an integer in {@code [start, end)}. */
        record Range(long start, long end) implements ValueMatch {
            @Override
            public boolean matches(String value) {
                try {
                    long parsed = Long.parseLong(value);
                    return parsed >= start && parsed < end;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }

        /** {@code string_match} and the deprecated exact/prefix/suffix/contains/regex forms. */
        record Str(StringMatch matcher) implements ValueMatch {
            public Str {
                Objects.requireNonNull(matcher, "matcher");
            }

            @Override
            public boolean matches(String value) {
                return matcher.matches(value);
            }
        }
    }
}

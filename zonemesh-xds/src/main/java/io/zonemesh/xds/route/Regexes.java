package io.zonemesh.xds.route;

import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.zonemesh.common.Nullable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Envoy {@code safe_regex} matchers (RE2) and the check that keeps uncompilable ones out of the output. */
public final class Regexes {
    private Regexes() {}

    /** {@code { google_re2 {}, regex }}: the engine field is set as Istio's older generators do, so any Envoy accepts it. */
    public static RegexMatcher safeRegex(String regex) {
        return RegexMatcher.newBuilder()
                .setGoogleRe2(RegexMatcher.GoogleRE2.getDefaultInstance())
                .setRegex(regex)
                .build();
    }

    /**
     * Why {@code regex} cannot be sent, or null when it compiles. The proxy compiles routes when it
     * applies an update and NACKs the whole RouteConfiguration for one bad pattern, so a regex the
     * config validation missed is dropped here with its route instead.
     */
    public static @Nullable String problem(String regex) {
        if (regex.isEmpty()) {
            return "empty regex";
        }
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            return "regex " + regex + " does not compile (" + e.getDescription() + ")";
        }
    }
}

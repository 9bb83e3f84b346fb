package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.HeaderMatcher.ValueMatch;
import io.zonemesh.proxy.config.QueryParameterMatcher;
import io.zonemesh.proxy.config.StringMatch;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Parses header matchers, string matchers and regexes, recording what it cannot accept. */
final class MatcherParser {
    private MatcherParser() {}

    @SuppressWarnings("deprecation") // The deprecated *_match forms are still sent and honoured by Envoy.
    static io.zonemesh.proxy.config.@Nullable HeaderMatcher header(
            HeaderMatcher proto, ValidationErrors errors, String path) {
        if (proto.getName().isEmpty()) {
            errors.add(path + ".name", "\"\"", "non-empty");
            return null;
        }
        ValueMatch match = switch (proto.getHeaderMatchSpecifierCase()) {
            // Envoy: a deprecated exact_match of "" matches any present value.
            case EXACT_MATCH ->
                new ValueMatch.Str(
                        proto.getExactMatch().isEmpty()
                                ? new StringMatch.Prefix("", false)
                                : new StringMatch.Exact(proto.getExactMatch(), false));
            case SAFE_REGEX_MATCH -> regexValue(proto.getSafeRegexMatch(), errors, path + ".safe_regex_match");
            case RANGE_MATCH ->
                new ValueMatch.Range(
                        proto.getRangeMatch().getStart(), proto.getRangeMatch().getEnd());
            case PRESENT_MATCH -> new ValueMatch.Present(proto.getPresentMatch());
            case PREFIX_MATCH -> new ValueMatch.Str(new StringMatch.Prefix(proto.getPrefixMatch(), false));
            case SUFFIX_MATCH -> new ValueMatch.Str(new StringMatch.Suffix(proto.getSuffixMatch(), false));
            case CONTAINS_MATCH -> new ValueMatch.Str(new StringMatch.Contains(proto.getContainsMatch(), false));
            case STRING_MATCH -> {
                StringMatch s = string(proto.getStringMatch(), errors, path + ".string_match");
                yield s == null ? null : new ValueMatch.Str(s);
            }
            // Envoy treats a matcher with no specifier as "present".
            case HEADERMATCHSPECIFIER_NOT_SET -> new ValueMatch.Present(true);
        };
        if (match == null) {
            return null;
        }
        return new io.zonemesh.proxy.config.HeaderMatcher(
                proto.getName(), match, proto.getInvertMatch(), proto.getTreatMissingHeaderAsEmpty());
    }

    static @Nullable QueryParameterMatcher query(
            io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher proto, ValidationErrors errors, String path) {
        if (proto.getName().isEmpty()) {
            errors.add(path + ".name", "\"\"", "non-empty");
            return null;
        }
        return switch (proto.getQueryParameterMatchSpecifierCase()) {
            case STRING_MATCH -> {
                StringMatch s = string(proto.getStringMatch(), errors, path + ".string_match");
                yield s == null ? null : new QueryParameterMatcher(proto.getName(), s, true);
            }
            case PRESENT_MATCH -> new QueryParameterMatcher(proto.getName(), null, proto.getPresentMatch());
            default -> {
                errors.add(path, proto.getQueryParameterMatchSpecifierCase(), "string_match or present_match");
                yield null;
            }
        };
    }

    static @Nullable StringMatch string(StringMatcher proto, ValidationErrors errors, String path) {
        boolean ignoreCase = proto.getIgnoreCase();
        return switch (proto.getMatchPatternCase()) {
            case EXACT -> new StringMatch.Exact(proto.getExact(), ignoreCase);
            case PREFIX -> new StringMatch.Prefix(proto.getPrefix(), ignoreCase);
            case SUFFIX -> new StringMatch.Suffix(proto.getSuffix(), ignoreCase);
            case CONTAINS -> new StringMatch.Contains(proto.getContains(), ignoreCase);
            case SAFE_REGEX -> {
                Pattern pattern = regex(proto.getSafeRegex(), errors, path + ".safe_regex");
                yield pattern == null ? null : new StringMatch.Regex(pattern);
            }
            default -> {
                errors.add(path, proto.getMatchPatternCase(), "exact, prefix, suffix, contains or safe_regex");
                yield null;
            }
        };
    }

    /**
     * Compiles a {@code safe_regex}. Envoy uses RE2; the subset Istio emits (anchors, classes,
     * alternation, repetition) means the same in java.util.regex.
     */
    static @Nullable Pattern regex(RegexMatcher proto, ValidationErrors errors, String path) {
        try {
            return Pattern.compile(proto.getRegex());
        } catch (PatternSyntaxException e) {
            errors.add(
                    path + ".regex",
                    ValidationErrors.quote(proto.getRegex()),
                    "a valid regular expression (" + e.getDescription() + ")");
            return null;
        }
    }

    private static @Nullable ValueMatch regexValue(RegexMatcher proto, ValidationErrors errors, String path) {
        Pattern pattern = regex(proto, errors, path);
        return pattern == null ? null : new ValueMatch.Str(new StringMatch.Regex(pattern));
    }
}

package io.zonemesh.proxy.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** Envoy's {@code type.matcher.v3.StringMatcher}; {@code ignore_case} does not apply to regexes. */
public sealed interface StringMatch {

    boolean matches(String value);

    record Exact(String expected, boolean ignoreCase) implements StringMatch {
        public Exact {
            Objects.requireNonNull(expected, "expected");
        }

        @Override
        public boolean matches(String value) {
            return ignoreCase ? value.equalsIgnoreCase(expected) : value.equals(expected);
        }
    }

    record Prefix(String prefix, boolean ignoreCase) implements StringMatch {
        public Prefix {
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public boolean matches(String value) {
            return value.regionMatches(ignoreCase, 0, prefix, 0, prefix.length());
        }
    }

    record Suffix(String suffix, boolean ignoreCase) implements StringMatch {
        public Suffix {
            Objects.requireNonNull(suffix, "suffix");
        }

        @Override
        public boolean matches(String value) {
            int offset = value.length() - suffix.length();
            return offset >= 0 && value.regionMatches(ignoreCase, offset, suffix, 0, suffix.length());
        }
    }

    record Contains(String part, boolean ignoreCase) implements StringMatch {
        public Contains {
            Objects.requireNonNull(part, "part");
        }

        @Override
        public boolean matches(String value) {
            if (!ignoreCase) {
                return value.contains(part);
            }
            return value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
        }
    }

    /** Full match, as Envoy's RE2 {@code safe_regex}. */
    record Regex(Pattern pattern) implements StringMatch {
        public Regex {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public boolean matches(String value) {
            return pattern.matcher(value).matches();
        }
    }
}

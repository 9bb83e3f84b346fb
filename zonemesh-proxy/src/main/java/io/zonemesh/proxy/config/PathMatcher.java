package io.zonemesh.proxy.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Envoy's {@code RouteMatch} path specifier. {@code prefix} compares against the whole
 * {@code :path}; {@code path}, {@code safe_regex} and {@code path_separated_prefix} compare
 * against the path with query string and fragment removed, as Envoy's route matcher does.
 */
public sealed interface PathMatcher {

    /** Whether {@code path} (the request's origin-form target, query included) matches. */
    boolean matches(String path);

    /** {@code prefix}: the start of {@code :path}. */
    record Prefix(String prefix, boolean caseSensitive) implements PathMatcher {
        public Prefix {
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public boolean matches(String path) {
            return path.regionMatches(!caseSensitive, 0, prefix, 0, prefix.length());
        }
    }

    /** {@code path}: the whole path without the query string. */
    record Exact(String path, boolean caseSensitive) implements PathMatcher {
        public Exact {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public boolean matches(String requestPath) {
            String stripped = stripQueryAndFragment(requestPath);
            return caseSensitive ? stripped.equals(path) : stripped.equalsIgnoreCase(path);
        }
    }

    /** {@code safe_regex}: the regex must match the whole path without the query string. */
    record SafeRegex(Pattern pattern) implements PathMatcher {
        public SafeRegex {
            Objects.requireNonNull(pattern, "pattern");
        }

        @Override
        public boolean matches(String path) {
            return pattern.matcher(stripQueryAndFragment(path)).matches();
        }
    }

    /** {@code path_separated_prefix}: the prefix followed by {@code /} or the end of the path. */
    record SeparatedPrefix(String prefix, boolean caseSensitive) implements PathMatcher {
        public SeparatedPrefix {
            Objects.requireNonNull(prefix, "prefix");
        }

        @Override
        public boolean matches(String path) {
            String stripped = stripQueryAndFragment(path);
            if (!stripped.regionMatches(!caseSensitive, 0, prefix, 0, prefix.length())) {
                return false;
            }
            return stripped.length() == prefix.length() || stripped.charAt(prefix.length()) == '/';
        }
    }

    /** The path up to the first {@code ?} or {@code #}. */
    static String stripQueryAndFragment(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '?' || c == '#') {
                return path.substring(0, i);
            }
        }
        return path;
    }
}

package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Envoy's {@code RouteAction} as far as the proxy implements it.
 *
 * @param timeout the whole-request timeout; {@link Duration#ZERO} disables it (Istio's default
 *     {@code timeout: 0s}); Envoy's default when unset is 15s
 * @param prefixRewrite replaces the matched path prefix, or null
 * @param regexRewrite {@code regex_rewrite}, or null
 * @param hostRewrite the literal Host sent upstream ({@code host_rewrite_literal}), or null
 * @param retryPolicy {@code retry_policy}, {@link RetryPolicy#NONE} when unset
 * @param mirrors {@code request_mirror_policies}
 * @param hashPolicies {@code hash_policy}, for RING_HASH and MAGLEV clusters
 */
public record RouteAction(
        ClusterSpecifier clusters,
        Duration timeout,
        @Nullable String prefixRewrite,
        @Nullable RegexRewrite regexRewrite,
        @Nullable String hostRewrite,
        RetryPolicy retryPolicy,
        List<Mirror> mirrors,
        List<HashPolicy> hashPolicies) {

    /** Envoy's {@code RouteAction.timeout} default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public RouteAction {
        Objects.requireNonNull(clusters, "clusters");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
        }
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        mirrors = List.copyOf(mirrors);
        hashPolicies = List.copyOf(hashPolicies);
    }

    public static RouteAction toCluster(String cluster) {
        return new RouteAction(
                new ClusterSpecifier.Single(cluster),
                DEFAULT_TIMEOUT,
                null,
                null,
                null,
                RetryPolicy.NONE,
                List.of(),
                List.of());
    }

    /**
     * {@code regex_rewrite}: every match of the pattern in the path (without the query) is replaced
     * by the substitution, whose {@code \1}-style groups refer to the pattern's groups (RE2's
     * {@code GlobalReplace}, which Envoy uses).
     */
    public record RegexRewrite(Pattern pattern, String substitution) {
        public RegexRewrite {
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(substitution, "substitution");
        }

        public String apply(String path) {
            StringBuilder replacement = new StringBuilder();
            for (int i = 0; i < substitution.length(); i++) {
                char c = substitution.charAt(i);
                if (c == '\\' && i + 1 < substitution.length() && Character.isDigit(substitution.charAt(i + 1))) {
                    replacement.append('$').append(substitution.charAt(++i));
                } else if (c == '\\' && i + 1 < substitution.length() && substitution.charAt(i + 1) == '\\') {
                    replacement.append(Matcher.quoteReplacement("\\"));
                    i++;
                } else {
                    replacement.append(Matcher.quoteReplacement(String.valueOf(c)));
                }
            }
            return pattern.matcher(path).replaceAll(replacement.toString());
        }
    }

    /** {@code request_mirror_policies[]}: a copy of the request to {@code cluster} for {@code fraction}. */
    public record Mirror(String cluster, Fraction fraction) {
        public Mirror {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(fraction, "fraction");
        }
    }
}

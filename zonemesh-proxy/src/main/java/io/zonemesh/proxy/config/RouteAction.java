package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.Objects;

/**
 * Envoy's {@code RouteAction} as far as the proxy implements it.
 *
 * @param timeout the whole-request timeout; {@link Duration#ZERO} disables it (Istio's default
 *     {@code timeout: 0s}); Envoy's default when unset is 15s
 * @param prefixRewrite replaces the matched path prefix, or null
 * @param hostRewrite the literal Host sent upstream ({@code host_rewrite_literal}), or null
 * @param retryPolicy {@code retry_policy}, {@link RetryPolicy#NONE} when unset
 * @param fault the route's {@code typed_per_filter_config} for the fault filter, null when unset
 *     (the filter-wide config applies); it replaces the filter-wide config, as in Envoy
 */
public record RouteAction(ClusterSpecifier clusters, Duration timeout, @Nullable String prefixRewrite,
        @Nullable String hostRewrite, RetryPolicy retryPolicy, @Nullable FaultConfig fault) {

    /** Envoy's {@code RouteAction.timeout} default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    public RouteAction {
        Objects.requireNonNull(clusters, "clusters");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: >= 0)");
        }
        Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    public static RouteAction toCluster(String cluster) {
        return new RouteAction(new ClusterSpecifier.Single(cluster), DEFAULT_TIMEOUT, null, null, RetryPolicy.NONE, null);
    }
}

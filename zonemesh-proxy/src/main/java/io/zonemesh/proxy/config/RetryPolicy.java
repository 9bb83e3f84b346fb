package io.zonemesh.proxy.config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A route's Envoy {@code retry_policy}, with Envoy's defaults applied.
 *
 * @param numRetries {@code num_retries}, Envoy's default 1 when unset
 * @param perTryTimeout {@code per_try_timeout}; {@link Duration#ZERO} when unset (only the route
 *     timeout applies)
 * @param baseInterval {@code retry_back_off.base_interval}, default 25ms
 * @param maxInterval {@code retry_back_off.max_interval}, default 10 x base
 * @param previousHosts whether {@code envoy.retry_host_predicates.previous_hosts} is configured
 * @param hostSelectionRetries {@code host_selection_retry_max_attempts}
 * @param previousPrioritiesFrequency {@code envoy.retry_priorities.previous_priorities}'s
 *     {@code update_frequency}, 0 without that retry priority
 */
public record RetryPolicy(
        int numRetries,
        Set<RetryOn> retryOn,
        Set<Integer> retriableStatusCodes,
        Duration perTryTimeout,
        Duration baseInterval,
        Duration maxInterval,
        boolean previousHosts,
        int hostSelectionRetries,
        int previousPrioritiesFrequency) {

    /** Envoy's {@code num_retries} default. */
    public static final int DEFAULT_NUM_RETRIES = 1;
    /** Envoy's {@code retry_back_off.base_interval} default. */
    public static final Duration DEFAULT_BASE_INTERVAL = Duration.ofMillis(25);
    /** A route without a retry policy: nothing is ever retried. */
    public static final RetryPolicy NONE = new RetryPolicy(
            0,
            Set.of(),
            Set.of(),
            Duration.ZERO,
            DEFAULT_BASE_INTERVAL,
            DEFAULT_BASE_INTERVAL.multipliedBy(10),
            false,
            0,
            0);

    public RetryPolicy {
        if (numRetries < 0) {
            throw new IllegalArgumentException("numRetries: " + numRetries + " (expected: >= 0)");
        }
        retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
        retriableStatusCodes = Set.copyOf(retriableStatusCodes);
        Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        if (perTryTimeout.isNegative()) {
            throw new IllegalArgumentException("perTryTimeout: " + perTryTimeout + " (expected: >= 0)");
        }
        Objects.requireNonNull(baseInterval, "baseInterval");
        Objects.requireNonNull(maxInterval, "maxInterval");
        if (baseInterval.toMillis() <= 0) {
            throw new IllegalArgumentException("baseInterval: " + baseInterval + " (expected: >= 1ms)");
        }
        if (maxInterval.compareTo(baseInterval) < 0) {
            throw new IllegalArgumentException(
                    "maxInterval: " + maxInterval + " (expected: >= baseInterval " + baseInterval + ")");
        }
        if (hostSelectionRetries < 0) {
            throw new IllegalArgumentException("hostSelectionRetries: " + hostSelectionRetries + " (expected: >= 0)");
        }
        if (previousPrioritiesFrequency < 0) {
            throw new IllegalArgumentException(
                    "previousPrioritiesFrequency: " + previousPrioritiesFrequency + " (expected: >= 0)");
        }
    }

    /** Whether any of {@code conditions} is configured. */
    public boolean retriesOnAny(RetryOn... conditions) {
        for (RetryOn condition : conditions) {
            if (retryOn.contains(condition)) {
                return true;
            }
        }
        return false;
    }
}

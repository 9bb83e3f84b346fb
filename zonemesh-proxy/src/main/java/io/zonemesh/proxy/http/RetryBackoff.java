package io.zonemesh.proxy.http;

import io.zonemesh.common.RandomSource;
import java.time.Duration;

/**
 * Envoy's {@code JitteredExponentialBackOffStrategy} for retries: the n-th back-off is drawn
 * uniformly ("full jitter") from {@code [0, (2^n - 1) x base)}, capped at the max interval; once
 * that range passes the max, it stops growing. Not thread-safe: one per request.
 */
final class RetryBackoff {
    private final long baseMillis;
    private final long maxMillis;
    private final RandomSource random;
    private int retry = 1;

    RetryBackoff(Duration base, Duration max, RandomSource random) {
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
        this.random = random;
    }

    /** The wait before the next retry, in milliseconds. */
    long nextMillis() {
        long multiplier = (1L << Math.min(retry, 31)) - 1;
        long range = multiplier * baseMillis;
        if (range <= maxMillis) {
            retry++;
        }
        return Math.min(random.nextLong(range), maxMillis);
    }
}

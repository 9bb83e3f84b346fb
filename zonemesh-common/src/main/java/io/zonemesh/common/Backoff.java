package io.zonemesh.common;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with full jitter, as Envoy's {@code JitteredExponentialBackOffStrategy}
 * and grpc-java's {@code ExponentialBackoffPolicy}: the n-th delay is drawn uniformly from
 * {@code [0, min(max, base * 2^n))}, which spreads a thundering herd of reconnecting proxies.
 * Not thread-safe: one instance per retry loop.
 */
public final class Backoff {
    private final long baseNanos;
    private final long maxNanos;
    private final RandomSource random;
    private int attempt;

    public Backoff(Duration base, Duration max, RandomSource random) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base: " + base + " (expected: > 0)");
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= base " + base + ")");
        }
        this.baseNanos = base.toNanos();
        this.maxNanos = max.toNanos();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The delay before the next attempt; each call moves one step further. */
    public Duration nextDelay() {
        long ceiling = ceilingNanos(attempt);
        if (attempt < 62) {
            attempt++;
        }
        // Full jitter, but never zero: a zero delay would turn a broken peer into a busy loop.
        long jittered = 1 + random.nextLong(ceiling);
        return Duration.ofNanos(jittered);
    }

    /** The upper bound of the delay drawn at the given attempt (0-based). */
    long ceilingNanos(int n) {
        long ceiling = baseNanos;
        for (int i = 0; i < n && ceiling < maxNanos; i++) {
            ceiling = ceiling > maxNanos / 2 ? maxNanos : ceiling * 2;
        }
        return Math.min(ceiling, maxNanos);
    }

    /** Starts over after a success. */
    public void reset() {
        attempt = 0;
    }
}

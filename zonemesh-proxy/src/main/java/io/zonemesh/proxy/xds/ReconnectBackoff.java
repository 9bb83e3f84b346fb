package io.zonemesh.proxy.xds;

import io.zonemesh.common.RandomSource;
import java.time.Duration;
import java.util.Objects;

/**
 * The ADS stream's reconnect delays, grpc-java's {@code ExponentialBackoffPolicy} as its xDS
 * client uses it: the first delay is {@code initial}, each next one {@value #MULTIPLIER} times
 * the previous up to {@code max}, and each is jittered uniformly by ±{@value #JITTER} of itself,
 * so one delay is at most {@code 1.2 × max}. {@link XdsClient} starts the sequence over once a
 * stream has received a response.
 *
 * <p>The default cap is 5 s where grpc-java's is 30 s (and Envoy's 30 s, with full jitter):
 * RELIABILITY.md test 8 wants every proxy resynced within 10 s of a restarted control plane,
 * and the worst case is the whole of one pending delay (at most 6 s) plus the reconnect and the
 * first CDS/EDS/LDS/RDS round with its ACKs, which leaves about 4 s for the control plane to serve
 * its proxies. At the cap the ±20% jitter still spreads a fleet's attempts over 2 s, and a
 * proxy retries a dead control plane every 4–6 s, which costs it nothing. Not thread-safe: the
 * xDS client's serial executor owns it.
 */
public final class ReconnectBackoff {
    /** grpc-java's {@code ExponentialBackoffPolicy} multiplier. */
    public static final double MULTIPLIER = 1.6;
    /** grpc-java's jitter: each delay is drawn from {@code [d × 0.8, d × 1.2]}. */
    public static final double JITTER = 0.2;
    /** grpc-java's initial backoff. */
    public static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
    /** See the class comment for why 5 s and not grpc-java's 30 s. */
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(5);

    private final long initialNanos;
    private final long maxNanos;
    private final RandomSource random;
    private long nextNanos;

    public ReconnectBackoff(Duration initial, Duration max, RandomSource random) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial: " + initial + " (expected: > 0)");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
        }
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = Objects.requireNonNull(random, "random");
        this.nextNanos = initialNanos;
    }

    /** The delay before the next attempt; each call moves one step further. */
    public Duration nextDelay() {
        long current = nextNanos;
        nextNanos = Math.min((long) (current * MULTIPLIER), maxNanos);
        long spread = (long) (current * JITTER);
        long jitter = spread == 0 ? 0 : random.nextLong(2 * spread + 1) - spread;
        return Duration.ofNanos(current + jitter);
    }

    /** Starts over at the initial delay (after a stream that received a response). */
    public void reset() {
        nextNanos = initialNanos;
    }
}

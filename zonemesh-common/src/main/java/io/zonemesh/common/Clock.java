package io.zonemesh.common;

import java.util.concurrent.TimeUnit;

/**
 * The one source of time in zonemesh. Production code takes a {@code Clock} instead of calling
 * {@code System.nanoTime()} so that tests can drive outlier detection, backoff, debounce and
 * timeouts with a {@code FakeClock}.
 */
public interface Clock {

    /** Monotonic nanoseconds, only meaningful as a difference between two readings. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch, for timestamps shown to people. */
    long currentTimeMillis();

    /** Monotonic time in the given unit. */
    default long read(TimeUnit unit) {
        return unit.convert(nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** The system clock. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }
}

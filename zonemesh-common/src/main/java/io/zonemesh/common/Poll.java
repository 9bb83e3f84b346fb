package io.zonemesh.common;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition on real time, for command-line flows (the demo waiting for the mesh to
 * converge). Bounded: gives up after {@code timeout}. Not for event loops or unit tests.
 */
public final class Poll {
    private Poll() {}

    /**
     * Returns once {@code condition} holds, checking every {@code interval}.
     *
     * @throws TimeoutException when it still does not hold after {@code timeout}
     */
    public static void until(BooleanSupplier condition, Duration timeout, Duration interval, String what)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(Math.max(1, interval.toMillis()));
        }
    }
}

package io.zonemesh.common;

import java.time.Duration;

/**
 * Runs a task later. Production code passes an adapter over a Netty event loop or a
 * {@code ScheduledExecutorService}; tests pass a {@code FakeClock}.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that can be cancelled; cancelling twice is harmless. */
    interface Cancellable {
        void cancel();
    }
}

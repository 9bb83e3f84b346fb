package io.zonemesh.common;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task later. Production code passes an adapter over a Netty event loop or a
 * {@code ScheduledExecutorService}; tests pass a {@code FakeClock}.
 */
public interface Scheduler {

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * A scheduler over {@code executor}; a task scheduled after the executor shut down never runs
     * (and is not an error: shutdown races with timers being armed).
     */
    static Scheduler of(ScheduledExecutorService executor) {
        return (task, delay) -> {
            try {
                ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> future.cancel(false);
            } catch (RejectedExecutionException e) {
                return () -> {};
            }
        };
    }

    /** A scheduled task that can be cancelled; cancelling twice is harmless. */
    interface Cancellable {
        void cancel();
    }
}

package io.zonemesh.proxy;

import io.zonemesh.common.Scheduler;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A {@link Scheduler} over the proxy's xDS executor; tasks scheduled after shutdown never run. */
final class ExecutorScheduler implements Scheduler {
    private final ScheduledExecutorService executor;

    ExecutorScheduler(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        try {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }
}

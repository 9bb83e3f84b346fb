package io.zonemesh.proxy.http;

import io.netty.util.concurrent.EventExecutor;
import io.zonemesh.common.Nullable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timeout that is armed and disarmed once per request on a keep-alive connection without
 * scheduling and cancelling an event-loop task each time (each costs a task object and two
 * priority-queue operations). Disarming only clears a flag; arming reuses the pending task when
 * it fires no later than the new deadline and notes how much later the deadline is, so that the
 * task re-schedules itself for the difference when it fires. Deadlines are measured with the
 * executor's own clock (through {@link ScheduledFuture#getDelay}), so an embedded channel's
 * {@code advanceTimeBy} drives it as it drives a plain schedule. Event-loop confined.
 */
final class RearmableTimer implements Runnable {
    private final EventExecutor executor;
    private final Runnable action;
    private @Nullable ScheduledFuture<?> task;
    private boolean armed;
    /** How long after the pending task fires the armed deadline is. */
    private long extraNanos;

    RearmableTimer(EventExecutor executor, Runnable action) {
        this.executor = executor;
        this.action = action;
    }

    /** Runs the action {@code delayNanos} from now unless disarmed first; replaces an earlier deadline. */
    void arm(long delayNanos) {
        armed = true;
        ScheduledFuture<?> pending = task;
        if (pending != null) {
            long remaining = pending.getDelay(TimeUnit.NANOSECONDS);
            if (remaining <= delayNanos) {
                extraNanos = delayNanos - remaining;
                return;
            }
            pending.cancel(false);
        }
        extraNanos = 0;
        task = executor.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** The deadline no longer applies; the pending task, if any, stays for the next {@link #arm}. */
    void disarm() {
        armed = false;
    }

    boolean armed() {
        return armed;
    }

    /** Disarms and drops the pending task: the connection is gone. */
    void cancel() {
        armed = false;
        ScheduledFuture<?> pending = task;
        task = null;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    @Override
    public void run() {
        task = null;
        if (!armed) {
            return;
        }
        if (extraNanos > 0) {
            long delay = extraNanos;
            extraNanos = 0;
            task = executor.schedule(this, delay, TimeUnit.NANOSECONDS);
            return;
        }
        armed = false;
        action.run();
    }
}

package io.zonemesh.proxy.testing;

import io.zonemesh.common.Clock;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.Scheduler;
import java.time.Duration;
import java.util.List;

/**
 * A {@link FakeClock} made safe to schedule on from another thread (the code under test's
 * executor) while the test thread advances it. Tasks run on the test thread, inside
 * {@link #advance}; code under test only uses them to enqueue work on its own executor. Also the
 * {@link Clock} of that time, for code that measures how long something lasted.
 */
public final class LockedFakeScheduler implements Scheduler, Clock {
    private final FakeClock clock = new FakeClock();

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Cancellable cancellable = clock.schedule(task, delay);
        return () -> {
            synchronized (LockedFakeScheduler.this) {
                cancellable.cancel();
            }
        };
    }

    @Override
    public synchronized long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public synchronized long currentTimeMillis() {
        return clock.currentTimeMillis();
    }

    public synchronized void advance(Duration duration) {
        clock.advance(duration);
    }

    public synchronized List<Runnable> pendingTasks() {
        return clock.pendingTasks();
    }
}

package io.zonemesh.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A clock that only moves when a test says so, with a scheduler whose tasks run when the
 * clock passes their deadline. Single-threaded: call it from the test thread only.
 */
public final class FakeClock implements Clock, Scheduler {
    private long nanos;
    private long millisOffset = 1_700_000_000_000L;
    private long sequence;
    private final PriorityQueue<Task> tasks =
            new PriorityQueue<>(Comparator.comparingLong((Task t) -> t.deadline).thenComparingLong(t -> t.seq));

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return millisOffset + TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Schedules {@code task} to run once the clock has advanced by {@code delay}. */
    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Task t = new Task(nanos + delay.toNanos(), sequence++, task);
        tasks.add(t);
        return () -> tasks.remove(t);
    }

    /** Moves the clock forward, running every task that falls due on the way, in order. */
    public void advance(Duration duration) {
        long target = nanos + duration.toNanos();
        while (!tasks.isEmpty() && tasks.peek().deadline <= target) {
            Task t = tasks.poll();
            nanos = Math.max(nanos, t.deadline);
            t.runnable.run();
        }
        nanos = target;
    }

    /** Tasks not yet run; tests assert this is empty at teardown. */
    public List<Runnable> pendingTasks() {
        List<Runnable> out = new ArrayList<>();
        for (Task t : tasks) {
            out.add(t.runnable);
        }
        return out;
    }

    private record Task(long deadline, long seq, Runnable runnable) {}
}

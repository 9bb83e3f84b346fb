package io.zonemesh.lb;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * An executor that runs nothing until the test drains it, grpc-java's {@code FakeClock}
 * executor: it shows which work a call left for the executor instead of doing it itself.
 * Single-threaded: the test thread submits and drains.
 */
final class FakeExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    int pending() {
        return tasks.size();
    }

    /** Runs the oldest queued task; returns whether there was one. */
    boolean runNext() {
        Runnable task = tasks.poll();
        if (task == null) {
            return false;
        }
        task.run();
        return true;
    }

    /** Runs the queued tasks, and those they queue, in order; returns how many ran. */
    int runAll() {
        int ran = 0;
        for (Runnable task; (task = tasks.poll()) != null && ran < 10_000; ran++) {
            task.run();
        }
        return ran;
    }
}

package io.zonemesh.lb;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one load balancer's state changes one at a time, in submission order: grpc-java's
 * {@code SynchronizationContext}. Whichever thread drains the queue runs every task in it; only
 * one thread drains at a time, and a submitter that finds another thread draining leaves its
 * task to that thread instead of waiting, so no submitter ever blocks.
 *
 * <p>Two ways in. {@link #execute} is for the owner (the xDS executor applying an EDS update):
 * the task runs on the caller before it returns unless another thread is draining.
 * {@link #post} is for the request path (an event loop that saw an outlier threshold): the task
 * is queued and the drain is handed to the {@code drainer} executor, so the event loop never
 * runs a state change or a snapshot build. Exceptions from a task are logged and do not stop
 * the tasks after it.
 */
final class SerialExecutor {
    private static final System.Logger LOG = System.getLogger(SerialExecutor.class.getName());

    private final String owner;
    private final Executor drainer;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Thread> drainingThread = new AtomicReference<>();

    /**
     * @param owner names the load balancer in log lines
     * @param drainer where posted tasks run; need not be serial itself
     */
    SerialExecutor(String owner, Executor drainer) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.drainer = Objects.requireNonNull(drainer, "drainer");
    }

    /** Queues {@code task} and drains on this thread unless another thread is draining. */
    void execute(Runnable task) {
        queue.add(Objects.requireNonNull(task, "task"));
        drain();
    }

    /** Queues {@code task} and has the drainer executor run it; never runs it on the caller's thread. */
    void post(Runnable task) {
        queue.add(Objects.requireNonNull(task, "task"));
        try {
            drainer.execute(this::drain);
        } catch (RejectedExecutionException e) {
            // The proxy is shutting down its executor: the task stays queued and runs only if
            // the owner drains again. The request path must not fail for it.
            LOG.log(System.Logger.Level.DEBUG, "executor rejected a load balancer task of cluster " + owner, e);
        }
    }

    /** Queues {@code task} to run after the tasks already queued, in the current or next drain. */
    void executeLater(Runnable task) {
        queue.add(Objects.requireNonNull(task, "task"));
    }

    private void drain() {
        do {
            if (!drainingThread.compareAndSet(null, Thread.currentThread())) {
                // Another thread drains (or this one, re-entrantly): it will see the task.
                return;
            }
            try {
                Runnable task;
                while ((task = queue.poll()) != null) {
                    run(task);
                }
            } finally {
                drainingThread.set(null);
            }
            // A task queued after the last poll and before the release found the drainer busy
            // and left: take it now rather than strand it until the next submission.
        } while (!queue.isEmpty());
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "load balancer task failed for cluster " + owner, e);
        }
    }
}

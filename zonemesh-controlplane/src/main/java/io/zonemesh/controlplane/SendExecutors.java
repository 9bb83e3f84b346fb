package io.zonemesh.controlplane;

import com.google.common.util.concurrent.MoreExecutors;
import io.envoyproxy.controlplane.server.ExecutorGroup;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where ADS responses are serialized and written: each stream gets a sequential executor (its
 * responses stay in order) over a small shared pool, so the push thread only computes configs
 * and many streams are written in parallel. Counts responses handed over but not yet written,
 * which is how {@link ControlPlane#converged} knows a push has reached every stream.
 */
final class SendExecutors implements ExecutorGroup, AutoCloseable {
    private final ExecutorService pool;
    private final AtomicLong pending = new AtomicLong();

    SendExecutors(int threads) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "zonemesh-xds-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One per ADS stream. */
    @Override
    public Executor next() {
        Executor sequential = MoreExecutors.newSequentialExecutor(pool);
        return task -> {
            pending.incrementAndGet();
            try {
                sequential.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        pending.decrementAndGet();
                    }
                });
            } catch (RuntimeException rejected) {
                pending.decrementAndGet();
                throw rejected;
            }
        };
    }

    /** The shared pool itself, for other work that should not hold the push thread (group generation). */
    Executor pool() {
        return pool;
    }

    /** Responses handed to a stream but not yet written. */
    long pending() {
        return pending.get();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

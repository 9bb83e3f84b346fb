package io.zonemesh.proxy.snapshot;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One of Envoy's per-cluster circuit-breaker resources ({@code ResourceManager}): a count shared by
 * every event loop and a maximum read at each acquisition, so a new threshold applies to the next
 * request while what is already open stays. Lock-free.
 */
public final class ResourceLimit {
    private final AtomicLong count = new AtomicLong();
    private final LongSupplier max;

    public ResourceLimit(LongSupplier max) {
        this.max = max;
    }

    /** Takes one unit if the count is below the maximum; pair a true result with {@link #release()}. */
    public boolean tryAcquire() {
        long limit = max.getAsLong();
        while (true) {
            long current = count.get();
            if (current >= limit) {
                return false;
            }
            if (count.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Takes one unit even past the maximum (Envoy lets a pool with no connection open one). */
    public void forceAcquire() {
        count.incrementAndGet();
    }

    /** Whether one more unit could be taken now ({@code canCreate}). */
    public boolean available() {
        return count.get() < max.getAsLong();
    }

    public void release() {
        count.decrementAndGet();
    }

    /** Units in use. */
    public long count() {
        return count.get();
    }

    public long max() {
        return max.getAsLong();
    }
}

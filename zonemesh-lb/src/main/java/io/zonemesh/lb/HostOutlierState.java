package io.zonemesh.lb;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Outlier-detection state of one host, Envoy's {@code DetectorHostMonitorImpl}. The counters are
 * atomics that every event loop writes on the request path. Everything else — ejection, backoff,
 * the finished interval's request volume — is written only by the load balancer's
 * {@link SerialExecutor}, Envoy's main thread, so it needs no lock; {@link #ejected} is
 * volatile and {@link #numEjections} atomic because pickers and the admin page read them.
 */
final class HostOutlierState {
    final AtomicInteger consecutive5xx = new AtomicInteger();
    final AtomicInteger consecutiveGatewayFailure = new AtomicInteger();
    final AtomicInteger consecutiveLocalOriginFailure = new AtomicInteger();
    final AtomicLong successCount = new AtomicLong();
    final AtomicLong errorCount = new AtomicLong();
    /** Requests of the current interval; swapped at each sweep (Envoy's success-rate buckets). */
    final AtomicReference<RequestVolume> externalBucket = new AtomicReference<>(new RequestVolume());

    final AtomicReference<RequestVolume> localOriginBucket = new AtomicReference<>(new RequestVolume());

    private volatile boolean ejected;
    private final AtomicInteger numEjections = new AtomicInteger();
    // Confined to the serial executor.
    private boolean removed;
    private int ejectTimeBackoff;
    private long lastEjectionNanos;
    private boolean unejectedOnce;
    private long lastUnejectionNanos;
    private long jitterNanos;
    private RequestVolume lastExternal = new RequestVolume();
    private RequestVolume lastLocalOrigin = new RequestVolume();

    boolean ejected() {
        return ejected;
    }

    boolean removed() {
        return removed;
    }

    int numEjections() {
        return numEjections.get();
    }

    int ejectTimeBackoff() {
        return ejectTimeBackoff;
    }

    /** Marks the host ejected; the caller has checked max_ejection_percent. */
    void eject(long nowNanos, long jitterNanos, long baseNanos, long maxNanos) {
        ejected = true;
        numEjections.incrementAndGet();
        lastEjectionNanos = nowNanos;
        this.jitterNanos = jitterNanos;
        // Envoy grows the backoff only while base x backoff is still below max + base, so the
        // multiplier stops one step past the cap and decays from there.
        if ((long) ejectTimeBackoff * baseNanos < maxNanos + baseNanos) {
            ejectTimeBackoff++;
        }
    }

    /** {@code checkHostForUneject}: due when min(base x backoff, max) + jitter has passed. */
    boolean unejectionDue(long nowNanos, long baseNanos, long maxNanos) {
        long ejectFor = Math.min(saturatedMultiply(baseNanos, ejectTimeBackoff), maxNanos) + jitterNanos;
        return ejected && ejectFor <= nowNanos - lastEjectionNanos;
    }

    /** Clears the ejection and the consecutive counters, so a few new errors do not re-eject at once. */
    void uneject(long nowNanos) {
        ejected = false;
        unejectedOnce = true;
        lastUnejectionNanos = nowNanos;
        consecutive5xx.set(0);
        consecutiveGatewayFailure.set(0);
        consecutiveLocalOriginFailure.set(0);
    }

    /** Backoff decay at the sweep: only for a host unejected at least one interval ago. */
    void decayBackoff(long nowNanos, long intervalNanos) {
        if (!ejected && unejectedOnce && nowNanos - lastUnejectionNanos >= intervalNanos && ejectTimeBackoff > 0) {
            ejectTimeBackoff--;
        }
    }

    /** Marks the host gone from the cluster; returns whether it was ejected (to release its slot). */
    boolean remove() {
        removed = true;
        boolean wasEjected = ejected;
        ejected = false;
        return wasEjected;
    }

    /** Ends the interval: the finished buckets become the ones the failure-percentage check reads. */
    void rotateBuckets() {
        lastExternal = externalBucket.getAndSet(new RequestVolume());
        lastLocalOrigin = localOriginBucket.getAndSet(new RequestVolume());
    }

    RequestVolume lastInterval(boolean localOrigin) {
        return localOrigin ? lastLocalOrigin : lastExternal;
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high == 0 && a * b >= 0 ? a * b : Long.MAX_VALUE;
    }

    /** Request and success counts of one interval. */
    static final class RequestVolume {
        final AtomicLong total = new AtomicLong();
        final AtomicLong success = new AtomicLong();

        void record(boolean succeeded) {
            total.incrementAndGet();
            if (succeeded) {
                success.incrementAndGet();
            }
        }
    }
}

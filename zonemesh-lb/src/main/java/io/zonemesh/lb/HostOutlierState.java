package io.zonemesh.lb;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Outlier-detection state of one host, Envoy's {@code DetectorHostMonitorImpl}. Counters are
 * atomics written by every event loop; the ejection fields change only inside
 * {@code synchronized (this)} (short, never waits), which the detector and the sweep also hold
 * across a check-then-eject or check-then-uneject; {@link #ejected} is volatile so snapshot
 * builds read it without locking.
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
    // Guarded by this.
    private boolean removed;
    private int numEjections;
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

    synchronized boolean removed() {
        return removed;
    }

    synchronized int numEjections() {
        return numEjections;
    }

    synchronized int ejectTimeBackoff() {
        return ejectTimeBackoff;
    }

    /** Marks the host ejected; the caller has reserved room under max_ejection_percent. */
    synchronized void eject(long nowNanos, long jitterNanos, long baseNanos, long maxNanos) {
        ejected = true;
        numEjections++;
        lastEjectionNanos = nowNanos;
        this.jitterNanos = jitterNanos;
        // Envoy grows the backoff only while base x backoff is still below max + base, so the
        // multiplier stops one step past the cap and decays from there.
        if ((long) ejectTimeBackoff * baseNanos < maxNanos + baseNanos) {
            ejectTimeBackoff++;
        }
    }

    /** {@code checkHostForUneject}: due when min(base x backoff, max) + jitter has passed. */
    synchronized boolean unejectionDue(long nowNanos, long baseNanos, long maxNanos) {
        long ejectFor = Math.min(saturatedMultiply(baseNanos, ejectTimeBackoff), maxNanos) + jitterNanos;
        return ejected && ejectFor <= nowNanos - lastEjectionNanos;
    }

    /** Clears the ejection and the consecutive counters, so a few new errors do not re-eject at once. */
    synchronized void uneject(long nowNanos) {
        ejected = false;
        unejectedOnce = true;
        lastUnejectionNanos = nowNanos;
        consecutive5xx.set(0);
        consecutiveGatewayFailure.set(0);
        consecutiveLocalOriginFailure.set(0);
    }

    /** Backoff decay at the sweep: only for a host unejected at least one interval ago. */
    synchronized void decayBackoff(long nowNanos, long intervalNanos) {
        if (!ejected && unejectedOnce && nowNanos - lastUnejectionNanos >= intervalNanos && ejectTimeBackoff > 0) {
            ejectTimeBackoff--;
        }
    }

    /** Marks the host gone from the cluster; returns whether it was ejected (to release its slot). */
    synchronized boolean remove() {
        removed = true;
        boolean wasEjected = ejected;
        ejected = false;
        return wasEjected;
    }

    /** Ends the interval: the finished buckets become the ones the failure-percentage check reads. */
    synchronized void rotateBuckets() {
        lastExternal = externalBucket.getAndSet(new RequestVolume());
        lastLocalOrigin = localOriginBucket.getAndSet(new RequestVolume());
    }

    synchronized RequestVolume lastInterval(boolean localOrigin) {
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

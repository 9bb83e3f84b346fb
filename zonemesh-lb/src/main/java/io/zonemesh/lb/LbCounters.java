package io.zonemesh.lb;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters behind {@link LbStats}. {@code lb_healthy_panic} is bumped by every event
 * loop, hence a {@link LongAdder}; the outlier counters are written only by the balancer's
 * serial executor and read by the metrics scrape, hence plain atomics without contention.
 */
// The ordinal indexes a lock-free AtomicLongArray (one slot per ejection type) that only this class
// reads and writes, within one run of the JVM: nothing depends on ordinals across versions.
@SuppressWarnings("EnumOrdinal")
final class LbCounters {
    private static final int TYPES = OutlierEjectionType.values().length;

    private final LongAdder healthyPanic = new LongAdder();
    private final AtomicLongArray enforced = new AtomicLongArray(TYPES);
    private final AtomicLongArray detected = new AtomicLongArray(TYPES);
    private final AtomicLong overflow = new AtomicLong();

    void onHealthyPanic() {
        healthyPanic.increment();
    }

    void onDetected(OutlierEjectionType type) {
        detected.incrementAndGet(type.ordinal());
    }

    void onEnforced(OutlierEjectionType type) {
        enforced.incrementAndGet(type.ordinal());
    }

    void onOverflow() {
        overflow.incrementAndGet();
    }

    LbStats snapshot(int ejectionsActive) {
        return new LbStats(healthyPanic.sum(), ejectionsActive, overflow.get(), byType(enforced), byType(detected));
    }

    private static Map<OutlierEjectionType, Long> byType(AtomicLongArray counts) {
        Map<OutlierEjectionType, Long> out = new EnumMap<>(OutlierEjectionType.class);
        for (OutlierEjectionType type : OutlierEjectionType.values()) {
            out.put(type, counts.get(type.ordinal()));
        }
        return out;
    }
}

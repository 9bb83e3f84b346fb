package io.zonemesh.lb;

import io.zonemesh.common.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    // Zone-aware routing: rebuild counters are written by the serial executor, pick counters by
    // every event loop.
    private final AtomicLong recalculateZoneStructures = new AtomicLong();
    private final AtomicLong zoneClusterTooSmall = new AtomicLong();
    private final LongAdder localClusterNotOk = new LongAdder();
    private final LongAdder zoneRoutingAllDirectly = new LongAdder();
    private final LongAdder zoneRoutingSampled = new LongAdder();
    private final LongAdder zoneRoutingCrossZone = new LongAdder();
    private final LongAdder zoneNoCapacityLeft = new LongAdder();

    private final AtomicLongArray failovers = new AtomicLongArray(FailoverReason.values().length);
    private final FailoverLog failoverLog = new FailoverLog();
    private final Clock clock;

    /** @param clock stamps failover events with wall-clock time */
    LbCounters(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Written by the serial executor that rebuilds snapshots: counts the failover and keeps it in
     * the ring of recent events, so the counter and the event list always agree.
     */
    void onFailover(
            FailoverReason reason, List<FailoverEvent.PriorityShare> from, List<FailoverEvent.PriorityShare> to) {
        failovers.incrementAndGet(reason.ordinal());
        failoverLog.add(new FailoverEvent(clock.currentTimeMillis(), reason, from, to));
    }

    /** The last {@link FailoverLog#CAPACITY} failover events, oldest first. */
    List<FailoverEvent> recentFailovers() {
        return failoverLog.events();
    }

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

    void onRecalculateZoneStructures() {
        recalculateZoneStructures.incrementAndGet();
    }

    void onZoneClusterTooSmall() {
        zoneClusterTooSmall.incrementAndGet();
    }

    void onLocalClusterNotOk() {
        localClusterNotOk.increment();
    }

    void onZoneRoutingAllDirectly() {
        zoneRoutingAllDirectly.increment();
    }

    void onZoneRoutingSampled() {
        zoneRoutingSampled.increment();
    }

    void onZoneRoutingCrossZone() {
        zoneRoutingCrossZone.increment();
    }

    void onZoneNoCapacityLeft() {
        zoneNoCapacityLeft.increment();
    }

    LbStats snapshot(int ejectionsActive) {
        ZoneRoutingStats zone = new ZoneRoutingStats(
                recalculateZoneStructures.get(),
                zoneClusterTooSmall.get(),
                localClusterNotOk.sum(),
                0,
                zoneRoutingAllDirectly.sum(),
                zoneRoutingSampled.sum(),
                zoneRoutingCrossZone.sum(),
                zoneNoCapacityLeft.sum());
        Map<FailoverReason, Long> failoverCounts = new EnumMap<>(FailoverReason.class);
        for (FailoverReason reason : FailoverReason.values()) {
            failoverCounts.put(reason, failovers.get(reason.ordinal()));
        }
        return new LbStats(
                healthyPanic.sum(),
                ejectionsActive,
                overflow.get(),
                byType(enforced),
                byType(detected),
                zone,
                failoverCounts);
    }

    private static Map<OutlierEjectionType, Long> byType(AtomicLongArray counts) {
        Map<OutlierEjectionType, Long> out = new EnumMap<>(OutlierEjectionType.class);
        for (OutlierEjectionType type : OutlierEjectionType.values()) {
            out.put(type, counts.get(type.ordinal()));
        }
        return out;
    }
}

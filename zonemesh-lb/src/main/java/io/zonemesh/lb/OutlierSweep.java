package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The outlier-detection interval timer, Envoy's {@code onIntervalTimer}: uneject hosts whose
 * ejection time has passed, run the failure-percentage check on the interval's request counts,
 * and decay the ejection backoff of hosts that stayed healthy. Re-arms itself with the interval
 * of the config current at the time, through the injected {@link Scheduler}.
 */
final class OutlierSweep {
    private static final System.Logger LOG = System.getLogger(OutlierSweep.class.getName());

    private final String clusterName;
    private final OutlierDetector detector;
    private final Supplier<Membership> membership;
    private final Scheduler scheduler;
    private final Runnable onHealthChanged;
    private final Object timerLock = new Object();
    // Guarded by timerLock.
    private Scheduler.@Nullable Cancellable timer;
    private @Nullable Duration armedInterval;
    private boolean closed;

    OutlierSweep(String clusterName, OutlierDetector detector, Supplier<Membership> membership, Scheduler scheduler,
            Runnable onHealthChanged) {
        this.clusterName = clusterName;
        this.detector = detector;
        this.membership = membership;
        this.scheduler = scheduler;
        this.onHealthChanged = onHealthChanged;
    }

    /** Arms, re-arms or stops the timer for the current config; keeps the phase if the interval is unchanged. */
    void reconfigure() {
        OutlierDetectionConfig config = membership.get().config().outlierDetection();
        Duration interval = config == null ? null : config.interval();
        synchronized (timerLock) {
            if (interval != null && interval.equals(armedInterval) && timer != null) {
                return;
            }
            arm(interval);
        }
    }

    void close() {
        synchronized (timerLock) {
            closed = true;
            arm(null);
        }
    }

    // Called with timerLock held.
    private void arm(@Nullable Duration interval) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        armedInterval = null;
        if (interval != null && !closed) {
            armedInterval = interval;
            timer = scheduler.schedule(this::onTimer, interval);
        }
    }

    private void onTimer() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A scheduler thread (often an event loop) must never die of a sweep; the next one retries.
            LOG.log(System.Logger.Level.ERROR, "outlier detection sweep failed for cluster " + clusterName, e);
        } finally {
            synchronized (timerLock) {
                OutlierDetectionConfig config = membership.get().config().outlierDetection();
                arm(config == null ? null : config.interval());
            }
        }
    }

    void sweep() {
        Membership current = membership.get();
        OutlierDetectionConfig config = current.config().outlierDetection();
        if (config == null) {
            return;
        }
        long now = detector.clock().nanoTime();
        long base = config.baseEjectionTime().toNanos();
        long max = config.maxEjectionTime().toNanos();
        boolean changed = false;
        for (Membership.Member member : current.members()) {
            HostOutlierState state = member.host().outlier();
            synchronized (state) {
                if (state.unejectionDue(now, base, max)) {
                    detector.uneject(state);
                    changed = true;
                }
                state.rotateBuckets();
            }
        }
        changed |= ejectByFailurePercentage(current, config, false);
        if (config.splitExternalLocalOriginErrors()) {
            changed |= ejectByFailurePercentage(current, config, true);
        }
        long interval = config.interval().toNanos();
        for (Membership.Member member : current.members()) {
            member.host().outlier().decayBackoff(now, interval);
        }
        if (changed) {
            onHealthChanged.run();
        }
    }

    /**
     * {@code processSuccessRateEjections}, failure-percentage half: among non-ejected hosts with
     * at least {@code request_volume} requests in the last interval, and only when at least
     * {@code minimum_hosts} of them qualify, eject those failing {@code threshold}% or more.
     */
    private boolean ejectByFailurePercentage(Membership current, OutlierDetectionConfig config, boolean localOrigin) {
        if (current.members().size() < config.failurePercentageMinimumHosts()) {
            return false;
        }
        List<Membership.Member> failing = new ArrayList<>();
        int qualifying = 0;
        for (Membership.Member member : current.members()) {
            HostOutlierState state = member.host().outlier();
            HostOutlierState.RequestVolume volume = state.lastInterval(localOrigin);
            long total = volume.total.get();
            if (state.ejected() || total == 0 || total < config.failurePercentageRequestVolume()) {
                continue;
            }
            qualifying++;
            double successRate = volume.success.get() * 100.0 / total;
            if (100.0 - successRate >= config.failurePercentageThreshold()) {
                failing.add(member);
            }
        }
        if (qualifying == 0 || qualifying < config.failurePercentageMinimumHosts()) {
            return false;
        }
        OutlierDetector.EjectionType type = localOrigin
                ? OutlierDetector.EjectionType.FAILURE_PERCENTAGE_LOCAL_ORIGIN
                : OutlierDetector.EjectionType.FAILURE_PERCENTAGE;
        boolean changed = false;
        for (Membership.Member member : failing) {
            HostOutlierState state = member.host().outlier();
            synchronized (state) {
                if (!state.removed() && !state.ejected()) {
                    changed |= detector.tryEject(state, type);
                }
            }
        }
        return changed;
    }
}

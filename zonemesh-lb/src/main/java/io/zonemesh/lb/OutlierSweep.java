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
 *
 * <p>Confined to the load balancer's {@link SerialExecutor}: the timer only posts the sweep to
 * it, so the sweep runs there whichever thread the scheduler fires on.
 */
final class OutlierSweep {
    private final OutlierEjections ejections;
    private final Supplier<Membership> membership;
    private final Scheduler scheduler;
    private final SerialExecutor control;
    private final Runnable onHealthChanged;
    private Scheduler.@Nullable Cancellable timer;
    /** Identifies the armed timer, so a firing that raced with a cancel is ignored. */
    private @Nullable Object armed;

    private @Nullable Duration armedInterval;
    private boolean closed;

    OutlierSweep(
            OutlierEjections ejections,
            Supplier<Membership> membership,
            Scheduler scheduler,
            SerialExecutor control,
            Runnable onHealthChanged) {
        this.ejections = ejections;
        this.membership = membership;
        this.scheduler = scheduler;
        this.control = control;
        this.onHealthChanged = onHealthChanged;
    }

    /** Arms, re-arms or stops the timer for the current config; keeps the phase if the interval is unchanged. */
    void reconfigure() {
        OutlierDetectionConfig config = membership.get().config().outlierDetection();
        Duration interval = config == null ? null : config.interval();
        if (interval != null && interval.equals(armedInterval) && timer != null) {
            return;
        }
        arm(interval);
    }

    void close() {
        closed = true;
        arm(null);
    }

    private void arm(@Nullable Duration interval) {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        armed = null;
        armedInterval = null;
        if (interval != null && !closed) {
            Object token = new Object();
            armed = token;
            armedInterval = interval;
            timer = scheduler.schedule(() -> control.post(() -> onTimer(token)), interval);
        }
    }

    private void onTimer(Object token) {
        if (token != armed) {
            return;
        }
        timer = null;
        try {
            sweep();
        } finally {
            // Re-arm even when the sweep failed (the executor logs it): the next one retries.
            OutlierDetectionConfig config = membership.get().config().outlierDetection();
            arm(config == null ? null : config.interval());
        }
    }

    void sweep() {
        Membership current = membership.get();
        OutlierDetectionConfig config = current.config().outlierDetection();
        if (config == null) {
            return;
        }
        long now = ejections.clock().nanoTime();
        long base = config.baseEjectionTime().toNanos();
        long max = config.maxEjectionTime().toNanos();
        boolean changed = false;
        for (Membership.Member member : current.outlierMembers()) {
            HostOutlierState state = member.host().outlier();
            if (state.unejectionDue(now, base, max)) {
                ejections.uneject(state);
                changed = true;
            }
            state.rotateBuckets();
        }
        changed |= ejectByFailurePercentage(current, config, false);
        if (config.splitExternalLocalOriginErrors()) {
            changed |= ejectByFailurePercentage(current, config, true);
        }
        long interval = config.interval().toNanos();
        for (Membership.Member member : current.outlierMembers()) {
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
        if (current.outlierMembers().size() < config.failurePercentageMinimumHosts()) {
            return false;
        }
        List<Membership.Member> failing = new ArrayList<>();
        int qualifying = 0;
        for (Membership.Member member : current.outlierMembers()) {
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
        OutlierEjectionType type = localOrigin
                ? OutlierEjectionType.FAILURE_PERCENTAGE_LOCAL_ORIGIN
                : OutlierEjectionType.FAILURE_PERCENTAGE;
        boolean changed = false;
        for (Membership.Member member : failing) {
            changed |= ejections.detectAndEject(member.host().outlier(), type);
        }
        return changed;
    }
}

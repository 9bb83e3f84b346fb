package io.zonemesh.lb;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Envoy's ejection bookkeeping ({@code DetectorImpl::onConsecutiveErrorWorker}, {@code ejectHost},
 * {@code checkHostForUneject}): whether a detected outlier may be ejected under
 * {@code max_ejection_percent}, the enforcement roll, the active count and the stats. Used only
 * on the load balancer's {@link SerialExecutor}, so its check-then-eject steps need no lock and
 * cannot race each other; {@link #activeEjections()} may be read from any thread.
 */
final class OutlierEjections {
    private final Clock clock;
    private final RandomSource random;
    private final Supplier<Membership> membership;
    private final LbCounters counters;
    private final Runnable onHealthChanged;
    // Written on the serial executor only; atomic so that stats and the admin page can read it.
    private final AtomicInteger activeEjections = new AtomicInteger();

    /** @param onHealthChanged runs after a host was ejected (a new snapshot is due) */
    OutlierEjections(
            Clock clock,
            RandomSource random,
            Supplier<Membership> membership,
            LbCounters counters,
            Runnable onHealthChanged) {
        this.clock = clock;
        this.random = random;
        this.membership = membership;
        this.counters = counters;
        this.onHealthChanged = onHealthChanged;
    }

    /**
     * {@code onConsecutiveErrorWorker}: a counter of {@code host} reached its threshold on some
     * event loop. Ignored when the host left the cluster or is already ejected meanwhile (Envoy
     * checks both, as the post crosses threads); otherwise detected, maybe ejected, and the
     * streak restarted.
     */
    void onConsecutiveError(UpstreamHost host, OutlierEjectionType type) {
        HostOutlierState state = host.outlier();
        if (state.removed() || state.ejected()) {
            return;
        }
        if (detectAndEject(state, type)) {
            onHealthChanged.run();
        }
        type.resetStreak(state);
    }

    /** {@code updateDetectedEjectionStats} then {@code ejectHost}; returns whether the host is now ejected. */
    boolean detectAndEject(HostOutlierState state, OutlierEjectionType type) {
        OutlierDetectionConfig config = membership.get().config().outlierDetection();
        // Detection may have been switched off since the counter fired: nothing would uneject.
        if (config == null) {
            return false;
        }
        counters.onDetected(type);
        return ejectHost(state, type, config);
    }

    /**
     * {@code ejectHost}: the max_ejection_percent check with Envoy's current semantics
     * {@code 100 x (active + 1) / hosts <= max} (PRs #27909, #34796; with 10% and fewer than 10
     * hosts nothing is ejected) or always_eject_one_host when nothing is ejected yet, counted as
     * {@code ejections_overflow} when refused; then the enforcement roll.
     */
    private boolean ejectHost(HostOutlierState state, OutlierEjectionType type, OutlierDetectionConfig config) {
        int hosts = membership.get().byAddress().size();
        int active = activeEjections.get();
        double ejectedPercent = hosts == 0 ? Double.POSITIVE_INFINITY : 100.0 * (active + 1) / hosts;
        if (!(ejectedPercent <= config.maxEjectionPercent() || (config.alwaysEjectOneHost() && active == 0))) {
            counters.onOverflow();
            return false;
        }
        if (!enforced(type.enforcing(config))) {
            return false;
        }
        activeEjections.incrementAndGet();
        counters.onEnforced(type);
        long jitterMillis = config.maxEjectionTimeJitter().toMillis();
        long jitterNanos = jitterMillis == 0 ? 0 : random.nextLong(jitterMillis + 1) * 1_000_000L;
        state.eject(
                clock.nanoTime(),
                jitterNanos,
                config.baseEjectionTime().toNanos(),
                config.maxEjectionTime().toNanos());
        return true;
    }

    /** Runtime {@code featureEnabled(key, percent)}: on when {@code random % 100 < percent}. */
    private boolean enforced(int percent) {
        if (percent >= 100) {
            return true;
        }
        return percent > 0 && random.nextInt(100) < percent;
    }

    /** Unejects the host (its time is up, or detection was switched off). */
    void uneject(HostOutlierState state) {
        state.uneject(clock.nanoTime());
        activeEjections.decrementAndGet();
    }

    /** The host left the cluster: its ejection no longer counts toward max_ejection_percent. */
    void onHostRemoved(UpstreamHost host) {
        if (host.outlier().remove()) {
            activeEjections.decrementAndGet();
        }
    }

    /** Detection was removed from the cluster config: nothing would uneject these hosts any more. */
    void unejectAll() {
        for (Membership.Member member : membership.get().outlierMembers()) {
            HostOutlierState state = member.host().outlier();
            if (state.ejected()) {
                uneject(state);
            }
        }
    }

    int activeEjections() {
        return activeEjections.get();
    }

    Clock clock() {
        return clock;
    }
}

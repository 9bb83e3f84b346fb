package io.zonemesh.lb;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Envoy's consecutive-error outlier detection ({@code outlier_detection_impl.cc}): per-host
 * counters fed by responses and local-origin failures, immediate ejection when a counter reaches
 * its threshold, and the ejection bookkeeping shared with the interval sweep
 * ({@link OutlierSweep}). Envoy counts on worker threads and ejects on the main thread; here the
 * event loop that sees the threshold ejects at once under the host's monitor.
 */
final class OutlierDetector {
    private final Clock clock;
    private final RandomSource random;
    private final Supplier<Membership> membership;
    private final Runnable onHealthChanged;
    private final AtomicInteger activeEjections = new AtomicInteger();

    /** @param onHealthChanged runs (outside any lock) after a host was ejected or unejected */
    OutlierDetector(Clock clock, RandomSource random, Supplier<Membership> membership, Runnable onHealthChanged) {
        this.clock = clock;
        this.random = random;
        this.membership = membership;
        this.onHealthChanged = onHealthChanged;
    }

    void onResponse(UpstreamHost host, int httpStatus) {
        HostOutlierState state = host.outlier();
        (isServerError(httpStatus) ? state.errorCount : state.successCount).incrementAndGet();
        OutlierDetectionConfig config = membership.get().config().outlierDetection();
        if (config == null) {
            return;
        }
        if (config.splitExternalLocalOriginErrors()) {
            // A response means the connection worked: Envoy's router reports
            // LocalOriginConnectSuccess, which resets the local-origin streak.
            Objects.requireNonNull(state.localOriginBucket.get()).record(true);
            state.consecutiveLocalOriginFailure.set(0);
        }
        putHttpResponseCode(host, httpStatus, config);
    }

    void onLocalOriginFailure(UpstreamHost host, LocalOriginFailure kind) {
        HostOutlierState state = host.outlier();
        state.errorCount.incrementAndGet();
        OutlierDetectionConfig config = membership.get().config().outlierDetection();
        if (config == null) {
            return;
        }
        if (config.splitExternalLocalOriginErrors()) {
            Objects.requireNonNull(state.localOriginBucket.get()).record(false);
            if (state.consecutiveLocalOriginFailure.incrementAndGet() == config.consecutiveLocalOriginFailure()) {
                onConsecutiveError(host, EjectionType.CONSECUTIVE_LOCAL_ORIGIN_FAILURE);
            }
        } else {
            // resultToHttpCode: timeout -> 504, connect failure -> 503. The router reports an
            // upstream reset as LocalOriginConnectFailed, hence 503 as well.
            putHttpResponseCode(host, kind == LocalOriginFailure.TIMEOUT ? 504 : 503, config);
        }
    }

    /** {@code putHttpResponseCode}: a counter fires exactly when it reaches its threshold. */
    private void putHttpResponseCode(UpstreamHost host, int httpStatus, OutlierDetectionConfig config) {
        HostOutlierState state = host.outlier();
        boolean serverError = isServerError(httpStatus);
        Objects.requireNonNull(state.externalBucket.get()).record(!serverError);
        if (!serverError) {
            state.consecutive5xx.set(0);
            state.consecutiveGatewayFailure.set(0);
            return;
        }
        if (httpStatus == 502 || httpStatus == 503 || httpStatus == 504) {
            if (state.consecutiveGatewayFailure.incrementAndGet() == config.consecutiveGatewayFailure()) {
                onConsecutiveError(host, EjectionType.CONSECUTIVE_GATEWAY_FAILURE);
            }
        } else {
            state.consecutiveGatewayFailure.set(0);
        }
        if (state.consecutive5xx.incrementAndGet() == config.consecutive5xx()) {
            onConsecutiveError(host, EjectionType.CONSECUTIVE_5XX);
        }
    }

    /** {@code onConsecutiveErrorWorker}: try to eject, then restart that streak. */
    private void onConsecutiveError(UpstreamHost host, EjectionType type) {
        HostOutlierState state = host.outlier();
        boolean ejected;
        synchronized (state) {
            if (state.removed() || state.ejected()) {
                return;
            }
            ejected = tryEject(state, type);
            type.resetStreak(state);
        }
        if (ejected) {
            onHealthChanged.run();
        }
    }

    /**
     * {@code ejectHost}: the max_ejection_percent check with Envoy's current semantics
     * {@code 100 x (active + 1) / hosts <= max} (PRs #27909, #34796; with 10% and fewer than 10
     * hosts nothing is ejected) or always_eject_one_host when nothing is ejected yet; then the
     * enforcement roll. Caller holds the host's monitor and has checked it is not ejected.
     *
     * @return whether the host is now ejected
     */
    boolean tryEject(HostOutlierState state, EjectionType type) {
        Membership current = membership.get();
        OutlierDetectionConfig config = current.config().outlierDetection();
        // Re-read under the host's monitor: detection may have been switched off since the
        // response was counted, and then nothing would ever uneject this host.
        if (config == null) {
            return false;
        }
        int hosts = current.members().size();
        if (!ejectionAllowed(activeEjections.get(), hosts, config) || !enforced(type.enforcing(config))) {
            return false;
        }
        // Reserve the slot atomically: event loops of other hosts may be ejecting concurrently.
        for (;;) {
            int active = activeEjections.get();
            if (!ejectionAllowed(active, hosts, config)) {
                return false;
            }
            if (activeEjections.compareAndSet(active, active + 1)) {
                break;
            }
        }
        long jitterMillis = config.maxEjectionTimeJitter().toMillis();
        long jitterNanos = jitterMillis == 0 ? 0 : random.nextLong(jitterMillis + 1) * 1_000_000L;
        state.eject(clock.nanoTime(), jitterNanos, config.baseEjectionTime().toNanos(),
                config.maxEjectionTime().toNanos());
        return true;
    }

    private static boolean ejectionAllowed(int active, int hosts, OutlierDetectionConfig config) {
        double ejectedPercent = hosts == 0 ? Double.POSITIVE_INFINITY : 100.0 * (active + 1) / hosts;
        return ejectedPercent <= config.maxEjectionPercent() || (config.alwaysEjectOneHost() && active == 0);
    }

    /** Runtime {@code featureEnabled(key, percent)}: on when {@code random % 100 < percent}. */
    private boolean enforced(int percent) {
        if (percent >= 100) {
            return true;
        }
        return percent > 0 && random.nextInt(100) < percent;
    }

    /** Unejects the host (sweep or detection switched off); caller holds the host's monitor. */
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
    boolean unejectAll() {
        boolean changed = false;
        for (Membership.Member member : membership.get().members()) {
            HostOutlierState state = member.host().outlier();
            synchronized (state) {
                if (state.ejected()) {
                    uneject(state);
                    changed = true;
                }
            }
        }
        return changed;
    }

    int activeEjections() {
        return activeEjections.get();
    }

    Clock clock() {
        return clock;
    }

    private static boolean isServerError(int httpStatus) {
        return httpStatus >= 500 && httpStatus < 600;
    }

    /** Envoy's {@code OutlierEjectionType}s that zonemesh implements. */
    enum EjectionType {
        CONSECUTIVE_5XX,
        CONSECUTIVE_GATEWAY_FAILURE,
        CONSECUTIVE_LOCAL_ORIGIN_FAILURE,
        FAILURE_PERCENTAGE,
        FAILURE_PERCENTAGE_LOCAL_ORIGIN;

        int enforcing(OutlierDetectionConfig config) {
            return switch (this) {
                case CONSECUTIVE_5XX -> config.enforcingConsecutive5xx();
                case CONSECUTIVE_GATEWAY_FAILURE -> config.enforcingConsecutiveGatewayFailure();
                case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> config.enforcingConsecutiveLocalOriginFailure();
                case FAILURE_PERCENTAGE -> config.enforcingFailurePercentage();
                case FAILURE_PERCENTAGE_LOCAL_ORIGIN -> config.enforcingFailurePercentageLocalOrigin();
            };
        }

        /** Restarts the streak that fired, even when the ejection did not happen (Envoy does too). */
        void resetStreak(HostOutlierState state) {
            switch (this) {
                case CONSECUTIVE_5XX -> state.consecutive5xx.set(0);
                case CONSECUTIVE_GATEWAY_FAILURE -> state.consecutiveGatewayFailure.set(0);
                case CONSECUTIVE_LOCAL_ORIGIN_FAILURE -> state.consecutiveLocalOriginFailure.set(0);
                case FAILURE_PERCENTAGE, FAILURE_PERCENTAGE_LOCAL_ORIGIN -> { }
            }
        }
    }
}

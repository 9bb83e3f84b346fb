package io.zonemesh.lb;

import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The request-path half of Envoy's outlier detection ({@code DetectorHostMonitorImpl::putHttpResponseCode},
 * {@code putResult}): per-host atomic counters fed by responses and local-origin failures from
 * every event loop. A counter that reaches its threshold is handed to {@link ThresholdListener}
 * exactly once — by the one thread whose increment reached it — and nothing else happens here:
 * the ejection itself is {@link OutlierEjections}' job on the balancer's serial executor, as
 * Envoy's workers post {@code onConsecutiveErrorWorker} to the main thread. Lock-free.
 */
final class OutlierDetector {
    private final Supplier<Membership> membership;
    private final ThresholdListener onThreshold;

    /** Told on the reporting thread when a consecutive-error counter reaches its threshold. */
    @FunctionalInterface
    interface ThresholdListener {
        void onThreshold(UpstreamHost host, OutlierEjectionType type);
    }

    OutlierDetector(Supplier<Membership> membership, ThresholdListener onThreshold) {
        this.membership = membership;
        this.onThreshold = onThreshold;
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
                onThreshold.onThreshold(host, OutlierEjectionType.CONSECUTIVE_LOCAL_ORIGIN_FAILURE);
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
                onThreshold.onThreshold(host, OutlierEjectionType.CONSECUTIVE_GATEWAY_FAILURE);
            }
        } else {
            state.consecutiveGatewayFailure.set(0);
        }
        if (state.consecutive5xx.incrementAndGet() == config.consecutive5xx()) {
            onThreshold.onThreshold(host, OutlierEjectionType.CONSECUTIVE_5XX);
        }
    }

    private static boolean isServerError(int httpStatus) {
        return httpStatus >= 500 && httpStatus < 600;
    }
}

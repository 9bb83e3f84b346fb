package io.zonemesh.xds.cluster;

import com.google.protobuf.BoolValue;
import io.zonemesh.model.istio.OutlierDetection;

/**
 * DestinationRule {@code outlierDetection} to Envoy's {@code Cluster.outlier_detection}, Istio's
 * {@code applyOutlierDetection} (LOCALITY.md §4.2) plus zonemesh's two additions.
 */
public final class OutlierDetectionMapper {
    /** Istio's 5xx count when unset is Envoy's default, enforced. */
    static final int ENVOY_DEFAULT_CONSECUTIVE_5XX = 5;
    /** For grpc clients: eject hosts failing at least half of their requests in an interval. */
    static final int GRPC_FAILURE_PERCENTAGE_THRESHOLD = 50;

    private OutlierDetectionMapper() {}

    /**
     * The Envoy message.
     *
     * <p>{@code always_eject_one_host} is set unless the user set {@code maxEjectionPercent}: with
     * Envoy's default 10% and fewer than 10 hosts nothing would ever be ejected, so locality
     * failover could never trigger (LOCALITY.md §3.4).
     *
     * @param failurePercentage also emit failure-percentage ejection: grpc-java implements only
     *     success-rate and failure-percentage ejection, so Istio's consecutive-error settings do
     *     nothing there (LOCALITY.md §5.4.2). The request volume is the consecutive-error count the
     *     user chose, so a host is judged after about as many requests as Envoy would need.
     */
    public static io.envoyproxy.envoy.config.cluster.v3.OutlierDetection toEnvoy(
            OutlierDetection od, boolean failurePercentage) {
        var out = io.envoyproxy.envoy.config.cluster.v3.OutlierDetection.newBuilder()
                .setEnforcingSuccessRate(Protos.uint32(0));
        Integer consecutive5xx = od.consecutive5xxErrors();
        if (consecutive5xx != null) {
            out.setConsecutive5Xx(Protos.uint32(consecutive5xx));
            out.setEnforcingConsecutive5Xx(Protos.uint32(consecutive5xx > 0 ? 100 : 0));
        }
        Integer gateway = od.consecutiveGatewayErrors();
        if (gateway != null) {
            out.setConsecutiveGatewayFailure(Protos.uint32(gateway));
            out.setEnforcingConsecutiveGatewayFailure(Protos.uint32(gateway > 0 ? 100 : 0));
        }
        if (od.interval() != null) {
            out.setInterval(Protos.duration(od.interval()));
        }
        if (od.baseEjectionTime() != null) {
            out.setBaseEjectionTime(Protos.duration(od.baseEjectionTime()));
        }
        Integer maxEjection = od.maxEjectionPercent();
        if (maxEjection != null && maxEjection > 0) {
            out.setMaxEjectionPercent(Protos.uint32(maxEjection));
        } else {
            out.setAlwaysEjectOneHost(BoolValue.of(true));
        }
        if (Boolean.TRUE.equals(od.splitExternalLocalOriginErrors())) {
            out.setSplitExternalLocalOriginErrors(true);
            Integer localOrigin = od.consecutiveLocalOriginFailures();
            if (localOrigin != null && localOrigin > 0) {
                out.setConsecutiveLocalOriginFailure(Protos.uint32(localOrigin));
            }
            out.setEnforcingConsecutiveLocalOriginFailure(Protos.uint32(100));
            out.setEnforcingLocalOriginSuccessRate(Protos.uint32(0));
        }
        if (failurePercentage) {
            int volume = failureRequestVolume(od);
            out.setEnforcingFailurePercentage(Protos.uint32(volume > 0 ? 100 : 0));
            if (volume > 0) {
                out.setFailurePercentageThreshold(Protos.uint32(GRPC_FAILURE_PERCENTAGE_THRESHOLD))
                        .setFailurePercentageMinimumHosts(Protos.uint32(1))
                        .setFailurePercentageRequestVolume(Protos.uint32(volume));
            }
        }
        return out.build();
    }

    /** The consecutive-error count Envoy would enforce, or 0 when the user turned both off. */
    private static int failureRequestVolume(OutlierDetection od) {
        Integer consecutive5xx = od.consecutive5xxErrors();
        if (consecutive5xx == null) {
            return ENVOY_DEFAULT_CONSECUTIVE_5XX;
        }
        if (consecutive5xx > 0) {
            return consecutive5xx;
        }
        Integer gateway = od.consecutiveGatewayErrors();
        return gateway != null && gateway > 0 ? gateway : 0;
    }
}

package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;

/**
 * DestinationRule {@code trafficPolicy}. Every part is nullable: unset means "inherit" when
 * subset and port policies are merged, then Istio's default.
 */
public record TrafficPolicy(
        @Nullable LoadBalancerSettings loadBalancer,
        @Nullable ConnectionPoolSettings connectionPool,
        @Nullable OutlierDetection outlierDetection,
        @Nullable ClientTls tls,
        List<PortTrafficPolicy> portLevelSettings) {

    public static final TrafficPolicy EMPTY = new TrafficPolicy(null, null, null, null, List.of());

    public TrafficPolicy {
        portLevelSettings = List.copyOf(portLevelSettings);
    }

    /** {@code portLevelSettings[]} entry. */
    public record PortTrafficPolicy(
            int port,
            @Nullable LoadBalancerSettings loadBalancer,
            @Nullable ConnectionPoolSettings connectionPool,
            @Nullable OutlierDetection outlierDetection,
            @Nullable ClientTls tls) {}
}

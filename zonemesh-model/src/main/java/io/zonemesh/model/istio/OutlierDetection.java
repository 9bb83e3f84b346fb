package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.time.Duration;

/** {@code trafficPolicy.outlierDetection}; null fields were not set by the user. */
public record OutlierDetection(
        @Nullable Integer consecutive5xxErrors,
        @Nullable Integer consecutiveGatewayErrors,
        @Nullable Integer consecutiveLocalOriginFailures,
        @Nullable Boolean splitExternalLocalOriginErrors,
        @Nullable Duration interval,
        @Nullable Duration baseEjectionTime,
        @Nullable Integer maxEjectionPercent,
        @Nullable Integer minHealthPercent) {}

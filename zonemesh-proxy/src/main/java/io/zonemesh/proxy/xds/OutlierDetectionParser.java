package io.zonemesh.proxy.xds;

import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.zonemesh.common.Nullable;
import io.zonemesh.lb.OutlierDetectionConfig;
import java.time.Duration;

/**
 * Turns {@code Cluster.outlier_detection} into {@link OutlierDetectionConfig}, filling every unset
 * field with Envoy's default ({@link OutlierDetectionConfig#ENVOY_DEFAULTS}, LOCALITY.md §3.4).
 * Success-rate and failure-percentage fields are not carried: the load balancer implements the
 * consecutive-error detectors, and Istio always sends {@code enforcing_success_rate: 0}.
 */
final class OutlierDetectionParser {
    private OutlierDetectionParser() {}

    // NullAway cannot see this parser's invariant: a part is null only when its parse recorded an
    // error, and the method returns null before building when the error count grew.
    @SuppressWarnings("NullAway")
    static @Nullable OutlierDetectionConfig parse(OutlierDetection od, ValidationErrors errors, String path) {
        OutlierDetectionConfig d = OutlierDetectionConfig.ENVOY_DEFAULTS;
        int before = errors.count();
        int consecutive5xx = ProtoValues.uint32(od.hasConsecutive5Xx(), od.getConsecutive5Xx(), d.consecutive5xx());
        int enforcing5xx = percent(
                od.hasEnforcingConsecutive5Xx(),
                od.getEnforcingConsecutive5Xx(),
                d.enforcingConsecutive5xx(),
                errors,
                path + "enforcing_consecutive_5xx");
        int gateway = ProtoValues.uint32(
                od.hasConsecutiveGatewayFailure(), od.getConsecutiveGatewayFailure(), d.consecutiveGatewayFailure());
        int enforcingGateway = percent(
                od.hasEnforcingConsecutiveGatewayFailure(),
                od.getEnforcingConsecutiveGatewayFailure(),
                d.enforcingConsecutiveGatewayFailure(),
                errors,
                path + "enforcing_consecutive_gateway_failure");
        int localOrigin = ProtoValues.uint32(
                od.hasConsecutiveLocalOriginFailure(),
                od.getConsecutiveLocalOriginFailure(),
                d.consecutiveLocalOriginFailure());
        int enforcingLocalOrigin = percent(
                od.hasEnforcingConsecutiveLocalOriginFailure(),
                od.getEnforcingConsecutiveLocalOriginFailure(),
                d.enforcingConsecutiveLocalOriginFailure(),
                errors,
                path + "enforcing_consecutive_local_origin_failure");
        Duration interval = positive(od.hasInterval(), od.getInterval(), d.interval(), errors, path + "interval");
        Duration baseEjection = positive(
                od.hasBaseEjectionTime(),
                od.getBaseEjectionTime(),
                d.baseEjectionTime(),
                errors,
                path + "base_ejection_time");
        // Envoy: max_ejection_time defaults to max(300s, base_ejection_time).
        Duration defaultMax = baseEjection != null && baseEjection.compareTo(d.maxEjectionTime()) > 0
                ? baseEjection
                : d.maxEjectionTime();
        Duration maxEjection = positive(
                od.hasMaxEjectionTime(), od.getMaxEjectionTime(), defaultMax, errors, path + "max_ejection_time");
        Duration jitter = d.maxEjectionTimeJitter();
        if (od.hasMaxEjectionTimeJitter()) {
            jitter = ProtoValues.duration(od.getMaxEjectionTimeJitter(), errors, path + "max_ejection_time_jitter");
        }
        int maxEjectionPercent = percent(
                od.hasMaxEjectionPercent(),
                od.getMaxEjectionPercent(),
                d.maxEjectionPercent(),
                errors,
                path + "max_ejection_percent");
        boolean alwaysEjectOne =
                od.hasAlwaysEjectOneHost() ? od.getAlwaysEjectOneHost().getValue() : d.alwaysEjectOneHost();
        if (errors.count() > before) {
            return null;
        }
        return new OutlierDetectionConfig(
                consecutive5xx,
                enforcing5xx,
                gateway,
                enforcingGateway,
                od.getSplitExternalLocalOriginErrors(),
                localOrigin,
                enforcingLocalOrigin,
                interval,
                baseEjection,
                maxEjection,
                jitter,
                maxEjectionPercent,
                alwaysEjectOne);
    }

    private static int percent(
            boolean present,
            com.google.protobuf.UInt32Value value,
            int defaultValue,
            ValidationErrors errors,
            String field) {
        int parsed = ProtoValues.uint32(present, value, defaultValue);
        if (parsed > 100) {
            errors.add(field, parsed, "0..100");
        }
        return parsed;
    }

    private static @Nullable Duration positive(
            boolean present,
            com.google.protobuf.Duration value,
            Duration defaultValue,
            ValidationErrors errors,
            String field) {
        if (!present) {
            return defaultValue;
        }
        Duration parsed = ProtoValues.duration(value, errors, field);
        if (parsed != null && parsed.isZero()) {
            errors.add(field, "0s", "> 0");
            return null;
        }
        return parsed;
    }
}

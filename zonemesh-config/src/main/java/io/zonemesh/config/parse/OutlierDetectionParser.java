package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.OutlierDetection;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.parse.ParseContext.DurationRule;

/** {@code trafficPolicy.outlierDetection}, validated as Istio's {@code validateOutlierDetection}. */
final class OutlierDetectionParser {
    private OutlierDetectionParser() {}

    static io.zonemesh.model.istio.OutlierDetection parse(OutlierDetection in, FieldPath path, ParseContext ctx) {
        Integer consecutive5xx = ctx.atLeast(path.field("consecutive5xxErrors"), in.getConsecutive5xxErrors(), 0);
        Integer gateway = ctx.atLeast(path.field("consecutiveGatewayErrors"), in.getConsecutiveGatewayErrors(), 0);
        Integer localOrigin =
                ctx.atLeast(path.field("consecutiveLocalOriginFailures"), in.getConsecutiveLocalOriginFailures(), 0);
        if (in.getConsecutiveErrors() != null) {
            ctx.warn(
                    path.field("consecutiveErrors"),
                    "deprecated and ignored (expected: consecutiveGatewayErrors or " + "consecutive5xxErrors)");
        }
        if (localOrigin != null && localOrigin > 0 && !Values.isTrue(in.getSplitExternalLocalOriginErrors())) {
            ctx.invalid(
                    path.field("consecutiveLocalOriginFailures"),
                    localOrigin + " (expected: "
                            + "splitExternalLocalOriginErrors: true; local origin failures are only counted separately then)");
        }
        return new io.zonemesh.model.istio.OutlierDetection(
                consecutive5xx,
                gateway,
                localOrigin,
                in.getSplitExternalLocalOriginErrors(),
                ctx.duration(path.field("interval"), in.getInterval(), DurationRule.AT_LEAST_1MS),
                ctx.duration(path.field("baseEjectionTime"), in.getBaseEjectionTime(), DurationRule.AT_LEAST_1MS),
                ctx.percent(path.field("maxEjectionPercent"), in.getMaxEjectionPercent()),
                ctx.percent(path.field("minHealthPercent"), in.getMinHealthPercent()));
    }
}

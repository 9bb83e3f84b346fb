package io.zonemesh.xds.route;

import io.envoyproxy.envoy.type.v3.FractionalPercent;

/** Istio's percentage conversions ({@code translatePercentToFractionalPercent} and the integer form). */
public final class Percentages {
    private Percentages() {}

    /**
     * A {@code percentage.value} (a double in [0, 100]) as parts per MILLION, truncated like Istio's
     * {@code uint32(p * 10000)} so the same input gives the same numerator.
     */
    public static FractionalPercent million(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent: " + percent + " (expected: 0-100)");
        }
        return FractionalPercent.newBuilder()
                .setNumerator((int) (percent * 10_000))
                .setDenominator(FractionalPercent.DenominatorType.MILLION)
                .build();
    }

    /** A whole percentage over HUNDRED, Istio's form for integer percents and defaults. */
    public static FractionalPercent hundred(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent: " + percent + " (expected: 0-100)");
        }
        return FractionalPercent.newBuilder()
                .setNumerator(percent)
                .setDenominator(FractionalPercent.DenominatorType.HUNDRED)
                .build();
    }
}

package io.zonemesh.bench.ads;

import java.util.Arrays;
import java.util.Locale;

/** The median of repeated measurements with their minimum and maximum: how BENCHMARKS.md reports a figure. */
public record Spread(double median, double min, double max) {

    public static Spread of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values: [] (expected: at least one value)");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Spread(median, sorted[0], sorted[n - 1]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", median, min, max);
    }
}

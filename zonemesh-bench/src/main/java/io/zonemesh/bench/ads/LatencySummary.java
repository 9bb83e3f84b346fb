package io.zonemesh.bench.ads;

import java.util.Arrays;

/**
 * Nearest-rank percentiles of one sample of latencies, in milliseconds.
 *
 * @param count how many values the sample had
 */
public record LatencySummary(int count, double p50Millis, double p99Millis, double maxMillis) {

    /** The summary of {@code nanos} (not modified). */
    public static LatencySummary ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("nanos: [] (expected: at least one value)");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencySummary(
                sorted.length,
                millis(percentile(sorted, 0.50)),
                millis(percentile(sorted, 0.99)),
                millis(sorted[sorted.length - 1]));
    }

    /** The nearest-rank percentile {@code p} (0 < p ≤ 1) of sorted values. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}

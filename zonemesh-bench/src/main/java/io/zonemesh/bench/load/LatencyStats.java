package io.zonemesh.bench.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latencies of one run in an HdrHistogram (1 µs to 60 s, 3 significant digits), recorded in
 * nanoseconds and reported in milliseconds. Confined to the thread that records.
 */
public final class LatencyStats {
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);

    public void record(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, histogram.getHighestTrackableValue())));
    }

    public long count() {
        return histogram.getTotalCount();
    }

    /** Percentile in milliseconds (0 when nothing was recorded). */
    public double percentileMillis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    public Summary summary() {
        return new Summary(
                count(),
                percentileMillis(50),
                percentileMillis(90),
                percentileMillis(99),
                percentileMillis(99.9),
                histogram.getMaxValue() / 1e6,
                histogram.getMean() / 1e6);
    }

    /** Percentiles in milliseconds. */
    public record Summary(long count, double p50, double p90, double p99, double p999, double max, double mean) {}
}

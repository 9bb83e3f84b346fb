package io.zonemesh.bench.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void percentilesUseTheNearestRank() {
        long[] nanos = new long[100];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (100 - i) * 1_000_000L;
        }

        LatencySummary s = LatencySummary.ofNanos(nanos);

        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50Millis()).isEqualTo(50.0);
        assertThat(s.p99Millis()).isEqualTo(99.0);
        assertThat(s.maxMillis()).isEqualTo(100.0);
        assertThat(nanos[0]).as("input left unsorted").isEqualTo(100_000_000L);
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        LatencySummary s = LatencySummary.ofNanos(new long[] {1_500_000});

        assertThat(s.p50Millis()).isEqualTo(1.5);
        assertThat(s.p99Millis()).isEqualTo(1.5);
    }

    @Test
    void spreadIsTheMedianWithMinimumAndMaximum() {
        assertThat(Spread.of(new double[] {3, 1, 2})).isEqualTo(new Spread(2, 1, 3));
        assertThat(Spread.of(new double[] {4, 1, 2, 3})).isEqualTo(new Spread(2.5, 1, 4));
        assertThatThrownBy(() -> Spread.of(new double[0])).hasMessage("values: [] (expected: at least one value)");
    }
}

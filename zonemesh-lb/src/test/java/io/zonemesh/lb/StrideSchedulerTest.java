package io.zonemesh.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StrideSchedulerTest {

    @Test
    void givesEachEntryItsWeightedShare() {
        StrideScheduler scheduler = new StrideScheduler(new double[] {1, 2, 5});
        AtomicLong sequence = new AtomicLong(123_456_789L);
        int[] counts = new int[3];

        for (int i = 0; i < 80_000; i++) {
            counts[scheduler.pick(sequence)]++;
        }

        assertThat(counts[0]).isBetween(9_900, 10_100);
        assertThat(counts[1]).isBetween(19_900, 20_100);
        assertThat(counts[2]).isBetween(49_800, 50_200);
    }

    @Test
    void keepsPickingFromAnySequenceValueIncludingNegativeOnes() {
        StrideScheduler scheduler = new StrideScheduler(new double[] {0.001, 3});
        AtomicLong sequence = new AtomicLong(-5);

        for (int i = 0; i < 1000; i++) {
            assertThat(scheduler.pick(sequence)).isBetween(0, 1);
        }
    }

    @Test
    void rejectsNonPositiveWeights() {
        assertThatThrownBy(() -> new StrideScheduler(new double[] {1, 0}))
                .hasMessage("weight: 0.0 (expected: > 0 and finite)");
    }
}

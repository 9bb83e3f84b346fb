package io.zonemesh.lb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriorityLoadTest {

    private static int[] loads(PriorityLoad load) {
        int[] out = new int[load.levels()];
        for (int i = 0; i < out.length; i++) {
            out[i] = load.load(i);
        }
        return out;
    }

    /** Envoy's priority table (LOCALITY.md §3.1): 100 P0 hosts, P1 fully healthy. */
    @ParameterizedTest(name = "{0}% of P0 healthy -> {1}% to P0")
    @CsvSource({"100, 100", "72, 100", "71, 99", "50, 70", "25, 35", "0, 0"})
    void reproducesEnvoyPriorityTable(int healthyP0, int expectedP0Load) {
        PriorityLoad load = PriorityLoad.compute(new int[] {100, 100}, new int[] {healthyP0, 100}, 140, 0);

        assertThat(load.load(0)).isEqualTo(expectedP0Load);
        assertThat(load.load(1)).isEqualTo(100 - expectedP0Load);
    }

    @Test
    void spillsIntegerShareWhenTwoOfThreeHostsAreHealthy() {
        // 140 * 2 / 3 = 93 in Envoy's integer arithmetic.
        PriorityLoad load = PriorityLoad.compute(new int[] {3, 3}, new int[] {2, 3}, 140, 50);

        assertThat(loads(load)).containsExactly(93, 7);
        assertThat(load.health(0)).isEqualTo(93);
    }

    @Test
    void givesRoundingRemainderToFirstPriorityWithHealth() {
        PriorityLoad load = PriorityLoad.compute(new int[] {0, 10, 10, 10}, new int[] {0, 1, 1, 1}, 140, 0);

        // Health 14 each, NTA 42: 14*100/42 = 33 each, remainder 1 to P1 (P0 is empty).
        assertThat(loads(load)).containsExactly(0, 34, 33, 33);
    }

    @Test
    void ignoresPanicWhileLowerPrioritiesCanTakeAllLoad() {
        PriorityLoad load = PriorityLoad.compute(new int[] {10, 10}, new int[] {1, 10}, 140, 50);

        assertThat(load.panic(0)).isFalse();
        assertThat(loads(load)).containsExactly(14, 86);
    }

    @Test
    void panicsOnlyThePriorityBelowThresholdWhenTotalAvailabilityIsShort() {
        // P0 1 of 10 healthy (10% < 50%), P1 4 of 10 (40% < 50%), P2 3 of 4 (75%): NTA = 14+56+100 -> 100.
        PriorityLoad full = PriorityLoad.compute(new int[] {10, 10, 4}, new int[] {1, 4, 3}, 140, 50);
        assertThat(full.panic(0)).isFalse();

        // Without P2: NTA = 14 + 56 = 70 < 100, both below 50% -> total panic.
        PriorityLoad total = PriorityLoad.compute(new int[] {10, 10}, new int[] {1, 4}, 140, 50);
        assertThat(total.panic(0)).isTrue();
        assertThat(total.panic(1)).isTrue();

        // P1 at 6 of 10 (60% >= 50%) is not in panic; P0 is; loads still follow health.
        PriorityLoad partial = PriorityLoad.compute(new int[] {10, 10}, new int[] {1, 6}, 140, 50);
        assertThat(partial.panic(0)).isTrue();
        assertThat(partial.panic(1)).isFalse();
        assertThat(loads(partial)).containsExactly(15, 85);
    }

    @Test
    void splitsLoadByHostCountInTotalPanic() {
        PriorityLoad load = PriorityLoad.compute(new int[] {2, 3, 1}, new int[] {0, 0, 0}, 140, 50);

        assertThat(load.panic(0)).isTrue();
        // 100*2/6 = 33, 100*3/6 = 50, 100*1/6 = 16, remainder 1 to P0.
        assertThat(loads(load)).containsExactly(34, 50, 16);
    }

    @Test
    void sendsAllLoadToP0WithoutPanicWhenThresholdIsZeroAndNothingIsHealthy() {
        PriorityLoad load = PriorityLoad.compute(new int[] {2, 3}, new int[] {0, 0}, 140, 0);

        assertThat(loads(load)).containsExactly(100, 0);
        assertThat(load.panic(0)).isFalse();
        assertThat(load.panic(1)).isFalse();
    }

    @Test
    void choosesPriorityByCumulativeLoadFromOneToHundred() {
        PriorityLoad load = PriorityLoad.compute(new int[] {100, 100}, new int[] {50, 100}, 140, 0);

        assertThat(load.choosePriority(0)).isZero();
        assertThat(load.choosePriority(69)).isZero();
        assertThat(load.choosePriority(70)).isEqualTo(1);
        assertThat(load.choosePriority(99)).isEqualTo(1);
    }

    @Test
    void usesTheConfiguredOverprovisioningFactor() {
        PriorityLoad load = PriorityLoad.compute(new int[] {10, 10}, new int[] {8, 10}, 100, 0);

        assertThat(loads(load)).containsExactly(80, 20);
    }
}

package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.concat;
import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.hosts;
import static io.zonemesh.lb.TestHosts.lb;
import static io.zonemesh.lb.TestHosts.pickCountsByAddress;
import static io.zonemesh.lb.TestHosts.pickCountsByLocality;
import static io.zonemesh.lb.TestHosts.pickCountsByPriority;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zonemesh.common.FakeClock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriorityAndLocalityTest {
    private static final int PICKS = 20_000;
    private final FakeClock clock = new FakeClock();

    private static double share(Map<String, Integer> counts, String key) {
        return counts.getOrDefault(key, 0) / (double) PICKS;
    }

    @Test
    void spillsSevenPercentToP1WhenTwoOfThreeLocalHostsAreHealthy() {
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, false, null),
                concat(hosts("z1", "r/z1/", 0, 1, 3, 2), hosts("z2", "r/z2/", 1, 1, 3, 3)),
                clock,
                1);

        Map<String, Integer> counts = pickCountsByPriority(lb, PICKS);

        assertThat(share(counts, "P0")).isCloseTo(0.93, within(0.01));
        assertThat(share(counts, "P1")).isCloseTo(0.07, within(0.01));
        assertThat(pickCountsByAddress(lb, PICKS)).doesNotContainKey("z1-2");
    }

    @Test
    void keepsAllTrafficLocalWhileSeventyTwoPercentAreHealthy() {
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, false, null),
                concat(hosts("z1", "r/z1/", 0, 1, 100, 72), hosts("z2", "r/z2/", 1, 1, 10, 10)),
                clock,
                1);

        assertThat(pickCountsByPriority(lb, PICKS)).containsOnlyKeys("P0");
    }

    @Test
    void routesNowhereWhenNothingIsHealthyAndPanicIsDisabled() {
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, false, null),
                concat(hosts("z1", "r/z1/", 0, 1, 2, 0), hosts("z2", "r/z2/", 1, 1, 2, 0)),
                clock,
                1);

        for (int i = 0; i < 100; i++) {
            assertThat(lb.chooseHost(0, Set.of())).isNull();
        }
    }

    @Test
    void balancesOverAllHostsOfAPriorityInPanic() {
        // P0: 1 of 10 healthy (10% < 50%); P1: 6 of 10 healthy. NTA = 14 + 84 = 98 < 100.
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 50, false, null),
                concat(hosts("z1", "r/z1/", 0, 1, 10, 1), hosts("z2", "r/z2/", 1, 1, 10, 6)),
                clock,
                1);

        Map<String, Integer> byHost = pickCountsByAddress(lb, PICKS);

        // P0 gets 15% (14 + the rounding remainder) spread over all ten hosts, unhealthy too.
        for (int i = 0; i < 10; i++) {
            assertThat(share(byHost, "z1-" + i)).isCloseTo(0.015, within(0.005));
        }
        // P1 is not in panic: only its six healthy hosts.
        assertThat(byHost).doesNotContainKeys("z2-6", "z2-7", "z2-8", "z2-9");
    }

    @Test
    void splitsByHostCountAcrossAllHostsInTotalPanic() {
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 50, false, null),
                concat(hosts("z1", "r/z1/", 0, 1, 1, 0), hosts("z2", "r/z2/", 1, 1, 3, 0)),
                clock,
                1);

        Map<String, Integer> counts = pickCountsByPriority(lb, PICKS);

        assertThat(share(counts, "P0")).isCloseTo(0.25, within(0.01));
        assertThat(share(counts, "P1")).isCloseTo(0.75, within(0.01));
    }

    @Test
    void treatsAnEmptyMiddlePriorityAsUnavailable() {
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, false, null),
                concat(hosts("z1", "r/z1/", 0, 1, 2, 0), hosts("z3", "r/z3/", 2, 1, 2, 2)),
                clock,
                1);

        assertThat(pickCountsByPriority(lb, 1000)).containsOnlyKeys("P2");
    }

    /**
     * LOCALITY.md §3.3: X weight 1, Y weight 2, Y fully healthy. Envoy's effective weight uses a
     * double ratio (upstream_impl.cc), so X gets 1.4 x 0.69 = 0.966 at 69% healthy, i.e. 32.6%;
     * Envoy's docs table prints 32% there and the rounded share elsewhere (33/33/26/15/0).
     */
    @ParameterizedTest(name = "X {0} of 100 healthy -> {1}%")
    @CsvSource({"100, 33.33", "70, 32.89", "69, 32.57", "50, 25.93", "25, 14.89", "0, 0"})
    void pickLocalitiesByEffectiveWeight(int healthyInX, double expectedPercent) {
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, true, null),
                concat(hosts("x", "r/x/", 0, 1, 100, healthyInX), hosts("y", "r/y/", 0, 2, 100, 100)),
                clock,
                1);

        Map<String, Integer> counts = pickCountsByLocality(lb, PICKS);

        assertThat(share(counts, "r/x/") * 100).isCloseTo(expectedPercent, within(0.1));
        assertThat(Math.round(share(counts, "r/x/") * 100)).isEqualTo(Math.round(expectedPercent));
    }

    @Test
    void computesEffectiveLocalityWeightsAsEnvoy() {
        assertThat(LocalityHosts.effectiveWeight(1, 69, 100, 140)).isCloseTo(0.966, within(1e-9));
        assertThat(LocalityHosts.effectiveWeight(2, 10, 10, 140)).isEqualTo(2.0);
        assertThat(LocalityHosts.effectiveWeight(3, 0, 10, 140)).isZero();
        assertThat(LocalityHosts.effectiveWeight(3, 0, 0, 140)).isZero();
    }

    @Test
    void ignoresLocalityWeightsWhenLocalityWeightedPickingIsOff() {
        // Without locality_weighted_lb_config all hosts of the priority are one flat set.
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, false, null),
                concat(hosts("x", "r/x/", 0, 1, 1, 1), hosts("y", "r/y/", 0, 9, 3, 3)),
                clock,
                1);

        Map<String, Integer> counts = pickCountsByLocality(lb, PICKS);

        assertThat(share(counts, "r/x/")).isCloseTo(0.25, within(0.01));
    }

    @Test
    void skipsLocalitiesWithoutWeightAndFallsBackToFlatWhenNoneHasOne() {
        ClusterLoadBalancer weighted = lb(
                config(LbPolicy.ROUND_ROBIN, 0, true, null),
                concat(hosts("x", "r/x/", 0, 0, 3, 3), hosts("y", "r/y/", 0, 1, 1, 1)),
                clock,
                1);
        assertThat(pickCountsByLocality(weighted, 1000)).containsOnlyKeys("r/y/");

        ClusterLoadBalancer unweighted = lb(
                config(LbPolicy.ROUND_ROBIN, 0, true, null),
                concat(hosts("x", "r/x/", 0, 0, 3, 3), hosts("y", "r/y/", 0, 0, 1, 1)),
                clock,
                1);
        assertThat(share(pickCountsByLocality(unweighted, PICKS), "r/x/")).isCloseTo(0.75, within(0.01));
    }

    @Test
    void picksHostsWithinTheChosenLocalityByPolicy() {
        ClusterLoadBalancer lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, true, null),
                concat(hosts("x", "r/x/", 0, 1, 2, 2), hosts("y", "r/y/", 0, 1, 4, 3)),
                clock,
                1);

        Map<String, Integer> byHost = pickCountsByAddress(lb, PICKS);

        // Equal effective weight (y: 1.4 x 3/4 caps at 1): half each, split evenly inside.
        assertThat(share(byHost, "x-0")).isCloseTo(0.25, within(0.01));
        assertThat(share(byHost, "y-0")).isCloseTo(1 / 6.0, within(0.01));
        assertThat(byHost).doesNotContainKey("y-3");
    }

    @Test
    void ignoresLocalitiesInAPanickedPriority() {
        // P0 in panic (1 of 4 healthy, NTA < 100 since there is no P1): all its hosts, flat.
        List<HostSpec> specs = concat(hosts("x", "r/x/", 0, 1, 2, 1), hosts("y", "r/y/", 0, 100, 2, 0));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 50, true, null), specs, clock, 1);

        Map<String, Integer> byHost = pickCountsByAddress(lb, PICKS);

        assertThat(byHost).containsOnlyKeys("x-0", "x-1", "y-0", "y-1");
        assertThat(share(byHost, "y-1")).isCloseTo(0.25, within(0.01));
    }
}

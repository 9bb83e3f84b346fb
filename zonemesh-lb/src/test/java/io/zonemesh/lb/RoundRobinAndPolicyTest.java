package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.host;
import static io.zonemesh.lb.TestHosts.lb;
import static io.zonemesh.lb.TestHosts.pickCountsByAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zonemesh.common.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundRobinAndPolicyTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void roundRobinVisitsHostsInOrderFromARandomStart() {
        List<HostSpec> specs = List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0), host("c", "r/z1/", 0));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 50, false, null), specs, clock, 7);

        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            picks.add(lb.chooseHost(0, Set.of()).spec().address());
        }

        List<String> order = List.of("a", "b", "c");
        int start = order.indexOf(picks.get(0));
        for (int i = 0; i < picks.size(); i++) {
            assertThat(picks.get(i)).isEqualTo(order.get((start + i) % 3));
        }
    }

    @Test
    void roundRobinStartsAtDifferentHostsForDifferentSeeds() {
        List<HostSpec> specs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            specs.add(host("h" + i, "r/z1/", 0));
        }
        Set<String> firstPicks = new java.util.HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            firstPicks.add(lb(config(LbPolicy.ROUND_ROBIN, 50, false, null), specs, clock, seed)
                    .chooseHost(0, Set.of())
                    .spec()
                    .address());
        }

        assertThat(firstPicks).hasSizeGreaterThan(1);
    }

    @Test
    void roundRobinKeepsRotatingAcrossUpdates() {
        List<HostSpec> specs = List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 50, false, null), specs, clock, 3);
        String first = lb.chooseHost(0, Set.of()).spec().address();

        lb.update(config(LbPolicy.ROUND_ROBIN, 50, false, null), specs);

        assertThat(lb.chooseHost(0, Set.of()).spec().address()).isNotEqualTo(first);
    }

    @Test
    void weightedRoundRobinFollowsWeightsAndInterleaves() {
        List<HostSpec> specs = List.of(
                new HostSpec("light", 80, "r/z1/", 0, 1, 1, true, ""),
                new HostSpec("heavy", 80, "r/z1/", 0, 1, 3, true, ""));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 50, false, null), specs, clock, 11);

        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            picks.add(lb.chooseHost(0, Set.of()).spec().address());
        }

        long light = picks.stream().filter("light"::equals).count();
        assertThat(light / 4000.0).isCloseTo(0.25, within(0.01));
        // Smooth: the light host never gets two picks in a row.
        for (int i = 1; i < picks.size(); i++) {
            assertThat(picks.get(i - 1).equals("light") && picks.get(i).equals("light"))
                    .isFalse();
        }
    }

    @Test
    void randomSpreadsEvenlyAndIgnoresWeights() {
        List<HostSpec> specs = List.of(
                new HostSpec("a", 80, "r/z1/", 0, 1, 1, true, ""), new HostSpec("b", 80, "r/z1/", 0, 1, 9, true, ""));
        ClusterLoadBalancer lb = lb(config(LbPolicy.RANDOM, 50, false, null), specs, clock, 5);

        Map<String, Integer> counts = pickCountsByAddress(lb, 10_000);

        assertThat(counts.get("a") / 10_000.0).isCloseTo(0.5, within(0.03));
    }

    @Test
    void leastRequestPrefersTheIdleHost() {
        List<HostSpec> specs = List.of(host("busy", "r/z1/", 0), host("idle", "r/z1/", 0));
        ClusterLoadBalancer lb = lb(config(LbPolicy.LEAST_REQUEST, 50, false, null), specs, clock, 9);
        Host busy = TestHosts.find(lb, "busy");
        for (int i = 0; i < 5; i++) {
            busy.onRequestStart();
        }

        Map<String, Integer> counts = pickCountsByAddress(lb, 10_000);

        // Two samples with replacement: the busy host wins only when both samples are the busy one.
        assertThat(counts.getOrDefault("busy", 0) / 10_000.0).isCloseTo(0.25, within(0.02));
    }

    @Test
    void leastRequestWithEqualLoadKeepsTheFirstSampleSoSpreadStaysEven() {
        List<HostSpec> specs = List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0), host("c", "r/z1/", 0));
        ClusterLoadBalancer lb = lb(config(LbPolicy.LEAST_REQUEST, 50, false, null), specs, clock, 13);

        Map<String, Integer> counts = pickCountsByAddress(lb, 9_000);

        assertThat(counts.values()).allSatisfy(c -> assertThat(c / 9_000.0).isCloseTo(1 / 3.0, within(0.03)));
    }

    @Test
    void weightedLeastRequestDividesWeightByActiveRequests() {
        List<HostSpec> specs = List.of(
                new HostSpec("a", 80, "r/z1/", 0, 1, 2, true, ""), new HostSpec("b", 80, "r/z1/", 0, 1, 1, true, ""));
        ClusterLoadBalancer lb = lb(config(LbPolicy.LEAST_REQUEST, 50, false, null), specs, clock, 17);
        Host a = TestHosts.find(lb, "a");
        for (int i = 0; i < 3; i++) {
            a.onRequestStart();
        }

        // a: 2 / (3 + 1) = 0.5, b: 1 / 1 = 1 -> a gets a third.
        Map<String, Integer> counts = pickCountsByAddress(lb, 9_000);

        assertThat(counts.get("a") / 9_000.0).isCloseTo(1 / 3.0, within(0.02));
    }

    @Test
    void activeRequestsNeverGoNegative() {
        ClusterLoadBalancer lb =
                lb(config(LbPolicy.LEAST_REQUEST, 50, false, null), List.of(host("a", "r/z1/", 0)), clock, 1);
        Host a = lb.chooseHost(0, Set.of());

        a.onRequestStart();
        a.onRequestEnd();
        a.onRequestEnd();

        assertThat(a.activeRequests()).isZero();
    }

    @Test
    void avoidsExcludedHostsWhenAnotherHealthyHostExists() {
        List<HostSpec> specs = List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0), host("c", "r/z1/", 0));
        for (LbPolicy policy : LbPolicy.values()) {
            if (policy.consistentHash()) {
                continue; // A hash re-selection is not guaranteed to leave excluded hosts (ConsistentHashTest).
            }
            ClusterLoadBalancer lb = lb(config(policy, 50, false, null), specs, clock, 21);
            Set<Host> excluded = Set.of(TestHosts.find(lb, "a"), TestHosts.find(lb, "b"));

            for (int i = 0; i < 50; i++) {
                assertThat(lb.chooseHost(0, excluded).spec().address())
                        .as(policy.name())
                        .isEqualTo("c");
            }
        }
    }

    @Test
    void returnsAnExcludedHostWhenItIsTheOnlyChoice() {
        ClusterLoadBalancer lb =
                lb(config(LbPolicy.ROUND_ROBIN, 50, false, null), List.of(host("a", "r/z1/", 0)), clock, 1);
        Host only = lb.chooseHost(0, Set.of());

        assertThat(lb.chooseHost(0, Set.of(only))).isSameAs(only);
    }

    @Test
    void excludedHostInFullyLoadedPriorityStaysUnlessTheDrawReachesAnotherPriority() {
        // P0 holds 100% of the load; like Envoy's previous_hosts retries, excluding its only host
        // cannot move the request to P1 (that takes previous_priorities).
        List<HostSpec> specs = List.of(host("p0", "r/z1/", 0), host("p1", "r/z2/", 1));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), specs, clock, 1);
        Host p0 = TestHosts.find(lb, "p0");

        assertThat(lb.chooseHost(0, Set.of(p0))).isSameAs(p0);
    }

    @Test
    void redrawsThePriorityWhenTheChosenOneHoldsOnlyExcludedHosts() {
        // P0 at 1 of 2 healthy -> 70/30. Excluding P0's healthy host, each of the 5 draws lands
        // on P1 with 30%; only when all five land on P0 (0.7^5 = 16.8%) is the excluded host kept.
        List<HostSpec> specs =
                List.of(host("a", "r/z1/", 0), TestHosts.unhealthy("b", "r/z1/", 0), host("c", "r/z2/", 1));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), specs, clock, 31);
        Set<Host> excluded = Set.of(TestHosts.find(lb, "a"));

        int toP1 = 0;
        for (int i = 0; i < 20_000; i++) {
            if (lb.chooseHost(0, excluded).spec().address().equals("c")) {
                toP1++;
            }
        }

        assertThat(toP1 / 20_000.0).isCloseTo(1 - Math.pow(0.7, 5), within(0.015));
    }

    @Test
    void returnsNullForAnEmptyCluster() {
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 50, false, null), List.of(), clock, 1);

        assertThat(lb.chooseHost(0, Set.of())).isNull();
    }
}

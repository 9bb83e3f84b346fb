package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.host;
import static io.zonemesh.lb.TestHosts.lb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.zonemesh.common.FakeClock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Envoy's {@code previous_priorities} retry priority and {@code host_selection_retry_max_attempts}. */
class RetryPriorityTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void excludingTheOnlyLoadedPriorityMovesEveryPickToTheNext() {
        List<HostSpec> specs = List.of(host("p0", "r/z1/", 0), host("p1", "r/z2/", 1), host("p2", "r/z3/", 2));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), specs, clock, 3);

        for (int i = 0; i < 200; i++) {
            assertThat(lb.chooseHost(0, Set.of(), Set.of(0), 0).spec().address())
                    .isEqualTo("p1");
            assertThat(lb.chooseHost(0, Set.of(), Set.of(0, 1), 0).spec().address())
                    .isEqualTo("p2");
        }
    }

    @Test
    void redistributesOverRemainingPrioritiesByTheirHealth() {
        // P1 1 of 2 healthy -> health 70; P2 healthy -> 100. Without P0: 70 + 100 capped at 100,
        // so P1 takes 70 * 100 / 100 = 70% and P2 the remaining 30%.
        List<HostSpec> specs = List.of(
                host("p0", "r/z1/", 0),
                host("p1", "r/z2/", 1),
                TestHosts.unhealthy("p1b", "r/z2/", 1),
                host("p2", "r/z3/", 2));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), specs, clock, 5);

        int toP1 = 0;
        for (int i = 0; i < 20_000; i++) {
            if (lb.chooseHost(0, Set.of(), Set.of(0), 0).spec().priority() == 1) {
                toP1++;
            }
        }

        assertThat(toP1 / 20_000.0).isCloseTo(0.7, within(0.015));
    }

    @Test
    void fallsBackToTheNormalLoadWhenEveryPriorityIsExcluded() {
        List<HostSpec> specs = List.of(host("p0", "r/z1/", 0), host("p1", "r/z2/", 1));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), specs, clock, 7);

        assertThat(lb.chooseHost(0, Set.of(), Set.of(0, 1), 0).spec().address()).isEqualTo("p0");
    }

    @Test
    void withoutHostSelectionRetriesAnExcludedDrawIsKept() {
        // P0 at 1 of 2 healthy -> 70/30; excluding P0's healthy host with no re-draw, the pick
        // stays on P0 whenever the single draw lands there (70%).
        List<HostSpec> specs =
                List.of(host("a", "r/z1/", 0), TestHosts.unhealthy("b", "r/z1/", 0), host("c", "r/z2/", 1));
        ClusterLoadBalancer lb = lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), specs, clock, 11);
        Set<Host> excluded = Set.of(TestHosts.find(lb, "a"));

        int toP1 = 0;
        for (int i = 0; i < 20_000; i++) {
            if (lb.chooseHost(0, excluded, Set.of(), 0).spec().address().equals("c")) {
                toP1++;
            }
        }

        assertThat(toP1 / 20_000.0).isCloseTo(0.3, within(0.015));
    }

    @Test
    void rejectsNegativeHostSelectionRetries() {
        ClusterLoadBalancer lb =
                lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), List.of(host("a", "r/z1/", 0)), clock, 1);

        assertThatThrownBy(() -> lb.chooseHost(0, Set.of(), Set.of(), -1))
                .hasMessageContaining("hostSelectionRetries: -1");
    }
}

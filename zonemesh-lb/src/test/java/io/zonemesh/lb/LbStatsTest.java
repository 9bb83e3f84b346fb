package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.host;
import static io.zonemesh.lb.TestHosts.hosts;
import static io.zonemesh.lb.TestHosts.lb;
import static io.zonemesh.lb.TestHosts.unhealthy;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Envoy's {@code lb_healthy_panic} and {@code outlier_detection.*} stats, counted as Envoy counts them. */
class LbStatsTest {
    private final FakeClock clock = new FakeClock();
    private DefaultClusterLoadBalancer lb;

    @AfterEach
    void close() {
        if (lb != null) {
            lb.close();
        }
        assertThat(clock.pendingTasks()).isEmpty();
    }

    private static OutlierDetectionConfig od(int consecutive5xx, int enforcing5xx, int maxEjectionPercent) {
        return new OutlierDetectionConfig(
                consecutive5xx,
                enforcing5xx,
                2,
                100,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                maxEjectionPercent,
                false);
    }

    private DefaultClusterLoadBalancer start(ClusterLbConfig config, List<HostSpec> hosts) {
        lb = lb(config, hosts, clock, 11);
        return lb;
    }

    private void fail(String address, int status, int times) {
        Host host = TestHosts.find(lb, address);
        for (int i = 0; i < times; i++) {
            lb.onResponse(host, status);
        }
    }

    @Test
    void startsAtZeroForEveryType() {
        start(config(LbPolicy.ROUND_ROBIN, 0, false, od(5, 100, 100)), List.of(host("a", "r/z/", 0)));

        LbStats stats = lb.stats();

        assertThat(stats.ejectionsActive()).isZero();
        assertThat(stats.ejectionsEnforcedTotal()).isZero();
        assertThat(stats.ejectionsOverflow()).isZero();
        assertThat(stats.healthyPanic()).isZero();
        for (OutlierEjectionType type : OutlierEjectionType.values()) {
            assertThat(stats.ejectionsEnforced(type)).isZero();
            assertThat(stats.ejectionsDetected(type)).isZero();
        }
    }

    @Test
    void countsDetectedAndEnforcedEjectionsByTypeAndTheActiveGauge() {
        start(config(LbPolicy.ROUND_ROBIN, 0, false, od(3, 100, 100)), hosts("h", "r/z/", 0, 1, 4, 4));

        fail("h-0", 500, 3);
        fail("h-1", 503, 2);

        LbStats stats = lb.stats();
        assertThat(stats.ejectionsEnforced(OutlierEjectionType.CONSECUTIVE_5XX)).isEqualTo(1);
        assertThat(stats.ejectionsEnforced(OutlierEjectionType.CONSECUTIVE_GATEWAY_FAILURE))
                .isEqualTo(1);
        assertThat(stats.ejectionsDetected(OutlierEjectionType.CONSECUTIVE_5XX)).isEqualTo(1);
        assertThat(stats.ejectionsDetected(OutlierEjectionType.CONSECUTIVE_GATEWAY_FAILURE))
                .isEqualTo(1);
        assertThat(stats.ejectionsEnforcedTotal()).isEqualTo(2);
        assertThat(stats.ejectionsActive()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(10));

        assertThat(lb.stats().ejectionsActive()).as("unejected by the sweep").isZero();
        assertThat(lb.stats().ejectionsEnforcedTotal())
                .as("counters never go down")
                .isEqualTo(2);
    }

    @Test
    void detectedButNotEnforcedWhenTheEnforcingRollSaysNo() {
        start(config(LbPolicy.ROUND_ROBIN, 0, false, od(2, 0, 100)), hosts("h", "r/z/", 0, 1, 2, 2));

        fail("h-0", 500, 4);

        LbStats stats = lb.stats();
        assertThat(stats.ejectionsDetected(OutlierEjectionType.CONSECUTIVE_5XX)).isEqualTo(2);
        assertThat(stats.ejectionsEnforced(OutlierEjectionType.CONSECUTIVE_5XX)).isZero();
        assertThat(stats.ejectionsOverflow()).isZero();
    }

    @Test
    void countsOverflowWhenMaxEjectionPercentRefuses() {
        // Two hosts at 10%: 100 x (0 + 1) / 2 = 50% > 10%, every detection overflows.
        start(config(LbPolicy.ROUND_ROBIN, 0, false, od(2, 100, 10)), hosts("h", "r/z/", 0, 1, 2, 2));

        fail("h-0", 500, 6);

        LbStats stats = lb.stats();
        assertThat(stats.ejectionsDetected(OutlierEjectionType.CONSECUTIVE_5XX)).isEqualTo(3);
        assertThat(stats.ejectionsOverflow()).isEqualTo(3);
        assertThat(stats.ejectionsActive()).isZero();
    }

    @Test
    void countsLocalOriginAndFailurePercentageEjectionsUnderTheirOwnNames() {
        OutlierDetectionConfig split = new OutlierDetectionConfig(
                        0,
                        100,
                        0,
                        0,
                        true,
                        2,
                        100,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        Duration.ZERO,
                        100,
                        false)
                .withFailurePercentage(50, 100, 0, 1, 4);
        start(config(LbPolicy.ROUND_ROBIN, 0, false, split), hosts("h", "r/z/", 0, 1, 3, 3));
        Host local = TestHosts.find(lb, "h-0");
        lb.onLocalOriginFailure(local, LocalOriginFailure.CONNECT_FAILED);
        lb.onLocalOriginFailure(local, LocalOriginFailure.TIMEOUT);
        fail("h-1", 500, 4);

        clock.advance(Duration.ofSeconds(1));

        LbStats stats = lb.stats();
        assertThat(stats.ejectionsEnforced(OutlierEjectionType.CONSECUTIVE_LOCAL_ORIGIN_FAILURE))
                .isEqualTo(1);
        assertThat(stats.ejectionsEnforced(OutlierEjectionType.FAILURE_PERCENTAGE))
                .isEqualTo(1);
        assertThat(stats.ejectionsActive()).isEqualTo(2);
    }

    @Test
    void removingAnEjectedHostLowersTheActiveGauge() {
        start(config(LbPolicy.ROUND_ROBIN, 0, false, od(1, 100, 100)), hosts("h", "r/z/", 0, 1, 3, 3));
        fail("h-0", 500, 1);

        lb.update(lb.snapshot().config(), hosts("h", "r/z/", 0, 1, 3, 3).subList(1, 3));

        assertThat(lb.stats().ejectionsActive()).isZero();
        assertThat(lb.stats().ejectionsEnforcedTotal()).isEqualTo(1);
    }

    @Test
    void countsEveryPickMadeFromAPriorityInPanic() {
        // P0 one of four healthy: 140 x 1 / 4 = 35% < 50%, P0 panics; there is no other priority.
        start(
                config(LbPolicy.ROUND_ROBIN, 50, false, null),
                List.of(
                        host("a", "r/z/", 0),
                        unhealthy("b", "r/z/", 0),
                        unhealthy("c", "r/z/", 0),
                        unhealthy("d", "r/z/", 0)));

        for (int i = 0; i < 7; i++) {
            assertThat(lb.chooseHost(i, Set.of())).isNotNull();
        }

        assertThat(lb.stats().healthyPanic()).isEqualTo(7);
    }

    @Test
    void countsPanicPicksOfConsistentHashingAndNoneWhenHealthy() {
        List<HostSpec> healthy = List.of(host("a", "r/z/", 0), host("b", "r/z/", 0));
        start(config(LbPolicy.RING_HASH, 50, false, null), healthy);
        lb.chooseHost(42, Set.of());
        assertThat(lb.stats().healthyPanic()).isZero();

        lb.update(
                lb.snapshot().config(),
                List.of(host("a", "r/z/", 0), unhealthy("b", "r/z/", 0), unhealthy("c", "r/z/", 0)));
        lb.chooseHost(42, Set.of());
        lb.chooseHost(43, Set.of());

        assertThat(lb.stats().healthyPanic()).isEqualTo(2);
    }
}

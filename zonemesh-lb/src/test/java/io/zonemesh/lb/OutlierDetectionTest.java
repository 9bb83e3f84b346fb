package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.host;
import static io.zonemesh.lb.TestHosts.hosts;
import static io.zonemesh.lb.TestHosts.lb;
import static io.zonemesh.lb.TestHosts.pickCountsByAddress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zonemesh.common.FakeClock;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutlierDetectionTest {
    private final FakeClock clock = new FakeClock();
    private DefaultClusterLoadBalancer lb;

    @AfterEach
    void closeAndCheckTimers() {
        if (lb != null) {
            lb.close();
        }
        assertThat(clock.pendingTasks()).isEmpty();
    }

    /** consecutive_5xx {@code n}, 100% ejectable, base 10s, max 30s, interval 1s. */
    private static OutlierDetectionConfig od(int consecutive5xx) {
        return new OutlierDetectionConfig(
                consecutive5xx,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                false);
    }

    private DefaultClusterLoadBalancer start(OutlierDetectionConfig od, List<HostSpec> hosts) {
        lb = lb(config(LbPolicy.ROUND_ROBIN, 0, false, od), hosts, clock, 42);
        return lb;
    }

    private static void respond(ClusterLoadBalancer lb, Host host, int status, int times) {
        for (int i = 0; i < times; i++) {
            lb.onResponse(host, status);
        }
    }

    private List<HostSpec> twoHosts() {
        return List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0));
    }

    @Test
    void ejectsAfterConsecutive5xxAndStopsPickingTheHost() {
        start(od(3), twoHosts());
        Host a = TestHosts.find(lb, "a");

        respond(lb, a, 500, 2);
        assertThat(a.ejected()).isFalse();
        respond(lb, a, 500, 1);

        assertThat(a.ejected()).isTrue();
        assertThat(pickCountsByAddress(lb, 100)).containsOnlyKeys("b");
    }

    @Test
    void successResetsTheConsecutive5xxStreak() {
        start(od(3), twoHosts());
        Host a = TestHosts.find(lb, "a");

        respond(lb, a, 503, 2);
        respond(lb, a, 200, 1);
        respond(lb, a, 503, 2);

        assertThat(a.ejected()).isFalse();
        assertThat(lb.status().get(0).consecutive5xx()).isEqualTo(2);
    }

    @Test
    void countsGatewayFailuresSeparatelyAndEnforcesThemOnlyWhenConfigured() {
        OutlierDetectionConfig gateway = new OutlierDetectionConfig(
                10,
                100,
                2,
                100,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                false);
        start(gateway, twoHosts());
        Host a = TestHosts.find(lb, "a");

        respond(lb, a, 502, 1);
        respond(lb, a, 500, 1); // a 5xx that is not a gateway error ends the gateway streak
        respond(lb, a, 504, 1);
        assertThat(a.ejected()).isFalse();

        respond(lb, a, 503, 1);
        assertThat(a.ejected()).isTrue();
    }

    @Test
    void gatewayFailuresAreNotEnforcedWithEnvoyDefaults() {
        OutlierDetectionConfig defaults = new OutlierDetectionConfig(
                50,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(300),
                Duration.ZERO,
                100,
                false);
        start(defaults, twoHosts());
        Host a = TestHosts.find(lb, "a");

        respond(lb, a, 503, 20);

        assertThat(a.ejected()).isFalse();
    }

    @Test
    void doesNotEjectWhenEnforcingIsZeroButRestartsTheStreak() {
        OutlierDetectionConfig notEnforced = new OutlierDetectionConfig(
                3,
                0,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                false);
        start(notEnforced, twoHosts());
        Host a = TestHosts.find(lb, "a");

        respond(lb, a, 500, 4);

        assertThat(a.ejected()).isFalse();
        assertThat(lb.status().get(0).consecutive5xx()).isEqualTo(1);
    }

    @Test
    void maxEjectionPercentTrapNeverEjectsFromTwoHostsAtTenPercent() {
        OutlierDetectionConfig trap = new OutlierDetectionConfig(
                5,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                10,
                false);
        start(trap, twoHosts());
        Host a = TestHosts.find(lb, "a");

        respond(lb, a, 500, 50);

        // 100 x (0 + 1) / 2 = 50% > 10%: Envoy's current check refuses even the first ejection.
        assertThat(a.ejected()).isFalse();
    }

    @Test
    void alwaysEjectOneHostEjectsTheFirstHostOnly() {
        OutlierDetectionConfig oneHost = new OutlierDetectionConfig(
                5,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                10,
                true);
        start(oneHost, twoHosts());
        Host a = TestHosts.find(lb, "a");
        Host b = TestHosts.find(lb, "b");

        respond(lb, a, 500, 5);
        respond(lb, b, 500, 5);

        assertThat(a.ejected()).isTrue();
        assertThat(b.ejected()).isFalse();
    }

    @Test
    void maxEjectionPercentCountsAgainstTheWholeCluster() {
        OutlierDetectionConfig half = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                50,
                false);
        start(half, hosts("h", "r/z1/", 0, 1, 4, 4));

        for (int i = 0; i < 4; i++) {
            respond(lb, TestHosts.find(lb, "h-" + i), 500, 1);
        }

        assertThat(lb.status())
                .extracting(ClusterLoadBalancer.HostStatus::ejected)
                .containsExactly(true, true, false, false);
    }

    @Test
    void unejectsAtTheFirstSweepAfterTheEjectionTime() {
        OutlierDetectionConfig slowSweep = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(3),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                false);
        start(slowSweep, twoHosts());
        Host a = TestHosts.find(lb, "a");
        clock.advance(Duration.ofMillis(1500));
        respond(lb, a, 500, 1);

        // Due at 6.5s; sweeps run at 3s, 6s, 9s.
        clock.advance(Duration.ofMillis(7400));
        assertThat(a.ejected()).isTrue();
        clock.advance(Duration.ofMillis(100));
        assertThat(a.ejected()).isFalse();
        assertThat(pickCountsByAddress(lb, 10)).containsKeys("a", "b");
    }

    @Test
    void backsOffEachEjectionUpToMaxEjectionTime() {
        start(od(1), twoHosts());
        Host a = TestHosts.find(lb, "a");

        // base 10s, max 30s: 10s, 20s, 30s, then capped at 30s.
        for (long expectedSeconds : new long[] {10, 20, 30, 30}) {
            respond(lb, a, 500, 1);
            assertThat(a.ejected()).isTrue();
            clock.advance(Duration.ofSeconds(expectedSeconds - 1));
            assertThat(a.ejected())
                    .as("still ejected before %ss", expectedSeconds)
                    .isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(a.ejected()).as("unejected after %ss", expectedSeconds).isFalse();
        }
        assertThat(lb.status().get(0).ejectionCount()).isEqualTo(4);
        // The multiplier stops growing once base x multiplier reaches max + base.
        assertThat(((UpstreamHost) a).outlier().ejectTimeBackoff()).isEqualTo(4);
    }

    @Test
    void backoffDecaysByOnePerSweepWhileTheHostStaysHealthy() {
        start(od(1), twoHosts());
        UpstreamHost a = (UpstreamHost) TestHosts.find(lb, "a");
        respond(lb, a, 500, 1);
        clock.advance(Duration.ofSeconds(10));
        respond(lb, a, 500, 1);
        clock.advance(Duration.ofSeconds(20));
        assertThat(a.ejected()).isFalse();
        assertThat(a.outlier().ejectTimeBackoff()).isEqualTo(2);

        // The sweep that unejected it does not decay; each later one does.
        clock.advance(Duration.ofSeconds(1));
        assertThat(a.outlier().ejectTimeBackoff()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(a.outlier().ejectTimeBackoff()).isZero();

        respond(lb, a, 500, 1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(a.ejected()).as("back to the base ejection time").isFalse();
    }

    @Test
    void addsJitterWithinMaxEjectionTimeJitter() {
        OutlierDetectionConfig jittered = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofMillis(100),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                100,
                false);
        start(jittered, twoHosts());
        Host a = TestHosts.find(lb, "a");
        respond(lb, a, 500, 1);

        long unejectedAtMillis = -1;
        for (int step = 1; step <= 200 && unejectedAtMillis < 0; step++) {
            clock.advance(Duration.ofMillis(100));
            if (!a.ejected()) {
                unejectedAtMillis = step * 100L;
            }
        }

        assertThat(unejectedAtMillis).isBetween(10_000L, 15_100L);
    }

    @Test
    void treatsLocalOriginFailuresAsGatewayErrorsWhenNotSplit() {
        start(od(2), twoHosts());
        Host a = TestHosts.find(lb, "a");

        lb.onLocalOriginFailure(a, LocalOriginFailure.CONNECT_FAILED);
        lb.onLocalOriginFailure(a, LocalOriginFailure.TIMEOUT);

        assertThat(a.ejected()).isTrue();
        assertThat(lb.status().get(0).errorCount()).isEqualTo(2);
    }

    @Test
    void countsLocalOriginFailuresSeparatelyWhenSplit() {
        OutlierDetectionConfig split = new OutlierDetectionConfig(
                2,
                100,
                5,
                0,
                true,
                3,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                false);
        start(split, twoHosts());
        Host a = TestHosts.find(lb, "a");

        lb.onLocalOriginFailure(a, LocalOriginFailure.CONNECT_FAILED);
        lb.onLocalOriginFailure(a, LocalOriginFailure.RESET);
        lb.onResponse(a, 500); // connected: ends the local-origin streak, starts a 5xx one
        lb.onLocalOriginFailure(a, LocalOriginFailure.TIMEOUT);
        lb.onLocalOriginFailure(a, LocalOriginFailure.TIMEOUT);
        assertThat(a.ejected()).isFalse();

        lb.onLocalOriginFailure(a, LocalOriginFailure.CONNECT_FAILED);
        assertThat(a.ejected()).isTrue();
    }

    @Test
    void ejectedHostsCountAsUnhealthyForPriorityLoad() {
        start(od(1), List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0), host("c", "r/z2/", 1)));

        respond(lb, TestHosts.find(lb, "a"), 500, 1);

        // P0 at 1 of 2 healthy: 140 x 1 / 2 = 70%.
        Map<String, Integer> counts = pickCountsByAddress(lb, 20_000);
        assertThat(counts.get("c") / 20_000.0).isCloseTo(0.30, within(0.01));
    }

    /** The zonemesh demo: one host per zone, consecutive5xx 1, interval 1s, base 1m. */
    @Test
    void failsOverToNextZoneWhenLocalEndpointsEjectedAndBackAfterUnejection() {
        OutlierDetectionConfig demo = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                Duration.ZERO,
                10,
                true);
        start(demo, List.of(host("zone-a", "r/a/", 0), host("zone-b", "r/b/", 1), host("zone-c", "r/c/", 2)));
        assertThat(pickCountsByAddress(lb, 1000)).containsOnlyKeys("zone-a");

        respond(lb, TestHosts.find(lb, "zone-a"), 500, 1);
        assertThat(pickCountsByAddress(lb, 1000)).containsOnlyKeys("zone-b");

        clock.advance(Duration.ofSeconds(59));
        assertThat(pickCountsByAddress(lb, 1000)).containsOnlyKeys("zone-b");
        clock.advance(Duration.ofSeconds(1));
        assertThat(pickCountsByAddress(lb, 1000)).containsOnlyKeys("zone-a");
    }

    @Test
    void updateKeepsEjectionStateAndCountersOfHostsThatStay() {
        start(od(3), twoHosts());
        Host a = TestHosts.find(lb, "a");
        Host b = TestHosts.find(lb, "b");
        respond(lb, a, 500, 3);
        respond(lb, b, 500, 2);

        lb.update(
                config(LbPolicy.LEAST_REQUEST, 0, false, od(3)),
                List.of(
                        new HostSpec("a", 8080, "r/z1/", 0, 1, 5, true, "pod-a"),
                        host("b", "r/z1/", 0),
                        host("c", "r/z1/", 0)));

        assertThat(TestHosts.find(lb, "a")).isSameAs(a);
        assertThat(a.ejected()).isTrue();
        assertThat(a.spec().name()).isEqualTo("pod-a");
        assertThat(pickCountsByAddress(lb, 100)).containsOnlyKeys("b", "c");
        respond(lb, b, 500, 1);
        assertThat(b.ejected()).isTrue();
    }

    @Test
    void removingAnEjectedHostFreesItsEjectionSlot() {
        OutlierDetectionConfig oneHost = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                10,
                true);
        start(oneHost, List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0), host("c", "r/z1/", 0)));
        respond(lb, TestHosts.find(lb, "a"), 500, 1);

        lb.update(lb.snapshot().config(), List.of(host("b", "r/z1/", 0), host("c", "r/z1/", 0)));
        Host b = TestHosts.find(lb, "b");
        respond(lb, b, 500, 1);

        assertThat(b.ejected()).isTrue();
        assertThat(lb.detector().activeEjections()).isEqualTo(1);
    }

    @Test
    void ignoresErrorsReportedForAHostThatLeftTheCluster() {
        start(od(1), twoHosts());
        Host a = TestHosts.find(lb, "a");
        lb.update(lb.snapshot().config(), List.of(host("b", "r/z1/", 0)));

        respond(lb, a, 500, 3);

        assertThat(a.ejected()).isFalse();
        assertThat(lb.detector().activeEjections()).isZero();
        lb.update(lb.snapshot().config(), twoHosts());
        assertThat(TestHosts.find(lb, "a"))
                .as("a host that comes back starts fresh")
                .isNotSameAs(a);
    }

    @Test
    void removingOutlierDetectionUnejectsEveryHostAndStopsTheSweep() {
        start(od(1), twoHosts());
        Host a = TestHosts.find(lb, "a");
        respond(lb, a, 500, 1);

        lb.update(config(LbPolicy.ROUND_ROBIN, 0, false, null), twoHosts());

        assertThat(a.ejected()).isFalse();
        assertThat(clock.pendingTasks()).isEmpty();
        respond(lb, a, 500, 10);
        assertThat(a.ejected()).isFalse();
    }

    @Test
    void ejectsByFailurePercentageAtTheSweep() {
        OutlierDetectionConfig fp = new OutlierDetectionConfig(
                        0,
                        100,
                        0,
                        0,
                        false,
                        5,
                        100,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        Duration.ZERO,
                        100,
                        false)
                .withFailurePercentage(50, 100, 0, 5, 10);
        start(fp, hosts("h", "r/z1/", 0, 1, 5, 5));
        for (int i = 0; i < 5; i++) {
            Host host = TestHosts.find(lb, "h-" + i);
            for (int r = 0; r < 10; r++) {
                // h-0 fails 6 in 10, h-1 fails 4 in 10, the rest never.
                boolean fail = (i == 0 && r < 6) || (i == 1 && r < 4);
                lb.onResponse(host, fail ? 500 : 200);
            }
        }
        assertThat(TestHosts.find(lb, "h-0").ejected()).isFalse();

        clock.advance(Duration.ofSeconds(1));

        assertThat(lb.status())
                .extracting(ClusterLoadBalancer.HostStatus::ejected)
                .containsExactly(true, false, false, false, false);
    }

    @Test
    void skipsFailurePercentageWithTooFewHostsWithVolume() {
        OutlierDetectionConfig fp = new OutlierDetectionConfig(
                        0,
                        100,
                        0,
                        0,
                        false,
                        5,
                        100,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        Duration.ZERO,
                        100,
                        false)
                .withFailurePercentage(50, 100, 0, 5, 10);
        start(fp, hosts("h", "r/z1/", 0, 1, 5, 5));
        respond(lb, TestHosts.find(lb, "h-0"), 500, 10);
        respond(lb, TestHosts.find(lb, "h-1"), 200, 9);

        clock.advance(Duration.ofSeconds(1));

        assertThat(TestHosts.find(lb, "h-0").ejected()).isFalse();
    }

    @Test
    void reportsHostStatusForTheAdminPage() {
        start(od(5), twoHosts());
        Host a = TestHosts.find(lb, "a");
        respond(lb, a, 200, 3);
        respond(lb, a, 500, 2);
        a.onRequestStart();

        ClusterLoadBalancer.HostStatus status = lb.status().get(0);

        assertThat(status.spec().address()).isEqualTo("a");
        assertThat(status.successCount()).isEqualTo(3);
        assertThat(status.errorCount()).isEqualTo(2);
        assertThat(status.consecutive5xx()).isEqualTo(2);
        assertThat(status.activeRequests()).isEqualTo(1);
        assertThat(status.ejected()).isFalse();
    }

    @Test
    void rejectsHostsFromAnotherCluster() {
        start(od(5), twoHosts());
        DefaultClusterLoadBalancer other = lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), twoHosts(), clock, 1);
        Host foreign = TestHosts.find(other, "a");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> lb.onResponse(foreign, 500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: a host chosen by cluster");
    }

    @Test
    void closeCancelsTheSweep() {
        start(od(1), twoHosts());
        assertThat(clock.pendingTasks()).hasSize(1);

        lb.close();

        assertThat(clock.pendingTasks()).isEmpty();
        clock.advance(Duration.ofSeconds(5));
        assertThat(clock.pendingTasks()).isEmpty();
    }

    @Test
    void changingTheIntervalReArmsTheSweepOnce() {
        start(od(1), twoHosts());
        OutlierDetectionConfig slower = new OutlierDetectionConfig(
                1,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(7),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                false);

        lb.update(config(LbPolicy.ROUND_ROBIN, 0, false, slower), twoHosts());
        lb.update(config(LbPolicy.ROUND_ROBIN, 0, false, slower), twoHosts());

        assertThat(clock.pendingTasks()).hasSize(1);
        respond(lb, TestHosts.find(lb, "a"), 500, 1);
        clock.advance(Duration.ofSeconds(13));
        assertThat(TestHosts.find(lb, "a").ejected()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(TestHosts.find(lb, "a").ejected()).isFalse();
    }
}

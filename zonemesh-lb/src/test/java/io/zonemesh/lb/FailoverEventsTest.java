package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.host;
import static io.zonemesh.lb.TestHosts.hosts;
import static io.zonemesh.lb.TestHosts.lb;
import static io.zonemesh.lb.TestHosts.unhealthy;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LbStats#failovers}: rebuilds that move traffic off priority 0 or into panic, by reason. */
class FailoverEventsTest {
    private final FakeClock clock = new FakeClock();
    private DefaultClusterLoadBalancer lb;

    @AfterEach
    void close() {
        if (lb != null) {
            lb.close();
        }
    }

    private static OutlierDetectionConfig od() {
        return new OutlierDetectionConfig(
                3,
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
    }

    private Map<FailoverReason, Long> counts() {
        LbStats stats = lb.stats();
        return Map.of(
                FailoverReason.PANIC, stats.failovers(FailoverReason.PANIC),
                FailoverReason.OUTLIER_EJECTION, stats.failovers(FailoverReason.OUTLIER_EJECTION),
                FailoverReason.PRIORITY_UNHEALTHY, stats.failovers(FailoverReason.PRIORITY_UNHEALTHY));
    }

    @Test
    void anEjectedLocalHostFailsOverOnceAndComingBackIsNoFailover() {
        lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, false, od()),
                List.of(host("a", "r/z0/", 0), host("b", "r/z1/", 1)),
                clock,
                1);
        assertThat(counts()).containsValues(0L, 0L, 0L);

        Host a = TestHosts.find(lb, "a");
        for (int i = 0; i < 3; i++) {
            lb.onResponse(a, 503);
        }

        assertThat(lb.stats().ejectionsActive()).isEqualTo(1);
        assertThat(counts())
                .containsEntry(FailoverReason.OUTLIER_EJECTION, 1L)
                .containsEntry(FailoverReason.PRIORITY_UNHEALTHY, 0L)
                .containsEntry(FailoverReason.PANIC, 0L);

        clock.advance(Duration.ofSeconds(10));

        assertThat(lb.stats().ejectionsActive()).as("unejected").isZero();
        assertThat(counts()).containsEntry(FailoverReason.OUTLIER_EJECTION, 1L);
    }

    @Test
    void edsUnhealthyLocalPrioritySpillsToTheNext() {
        ClusterLbConfig config = config(LbPolicy.ROUND_ROBIN, 0, false, od());
        lb = lb(config, List.of(host("a", "r/z0/", 0), host("b", "r/z1/", 1)), clock, 1);

        lb.update(config, List.of(unhealthy("a", "r/z0/", 0), host("b", "r/z1/", 1)));

        assertThat(counts())
                .containsEntry(FailoverReason.PRIORITY_UNHEALTHY, 1L)
                .containsEntry(FailoverReason.OUTLIER_EJECTION, 0L)
                .containsEntry(FailoverReason.PANIC, 0L);

        lb.update(config, List.of(host("a", "r/z0/", 0), host("b", "r/z1/", 1)));

        assertThat(counts()).as("recovering is no failover").containsEntry(FailoverReason.PRIORITY_UNHEALTHY, 1L);
    }

    @Test
    void aPriorityFallingIntoPanicCountsAsPanic() {
        ClusterLbConfig config = config(LbPolicy.ROUND_ROBIN, 50, false, od());
        lb = lb(config, hosts("h", "r/z0/", 0, 1, 4, 4), clock, 1);

        lb.update(config, hosts("h", "r/z0/", 0, 1, 4, 1));

        assertThat(counts())
                .containsEntry(FailoverReason.PANIC, 1L)
                .containsEntry(FailoverReason.PRIORITY_UNHEALTHY, 0L);
    }

    @Test
    void theEjectionIsRecordedWithTimeReasonAndWhereTrafficWent() {
        lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, false, od()),
                List.of(host("a", "r/z0/", 0), host("b", "r/z1/", 1)),
                clock,
                1);
        assertThat(lb.recentFailovers()).isEmpty();

        Host a = TestHosts.find(lb, "a");
        for (int i = 0; i < 3; i++) {
            lb.onResponse(a, 503);
        }

        assertThat(lb.recentFailovers())
                .containsExactly(new FailoverEvent(
                        clock.currentTimeMillis(),
                        FailoverReason.OUTLIER_EJECTION,
                        List.of(new FailoverEvent.PriorityShare(0, 100, false, List.of("r/z0/"))),
                        List.of(new FailoverEvent.PriorityShare(1, 100, false, List.of("r/z1/")))));
        assertThat(lb.stats().failovers(FailoverReason.OUTLIER_EJECTION))
                .as("the counter and the log agree")
                .isEqualTo(lb.recentFailovers().size());
    }

    @Test
    void theLogKeepsTheNewest64() {
        ClusterLbConfig config = config(LbPolicy.ROUND_ROBIN, 0, false, od());
        lb = lb(config, List.of(host("a", "r/z0/", 0), host("b", "r/z1/", 1)), clock, 1);

        for (int i = 0; i < FailoverLog.CAPACITY + 6; i++) {
            clock.advance(Duration.ofMillis(1));
            lb.update(config, List.of(unhealthy("a", "r/z0/", 0), host("b", "r/z1/", 1)));
            lb.update(config, List.of(host("a", "r/z0/", 0), host("b", "r/z1/", 1)));
        }

        List<FailoverEvent> events = lb.recentFailovers();
        assertThat(lb.stats().failovers(FailoverReason.PRIORITY_UNHEALTHY)).isEqualTo(FailoverLog.CAPACITY + 6);
        assertThat(events).hasSize(FailoverLog.CAPACITY);
        assertThat(events.get(events.size() - 1).epochMillis()).isEqualTo(clock.currentTimeMillis());
        assertThat(events.get(0).epochMillis()).as("the 6 oldest dropped").isEqualTo(clock.currentTimeMillis() - 63);
    }
}

package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.host;
import static io.zonemesh.lb.TestHosts.pickCountsByAddress;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Load-balancer state has one owner: the serial executor. The request path only counts and
 * posts; ejections, unejections and snapshot builds happen when the executor runs, never on the
 * caller's thread (here the test thread plays the event loop and drains the executor by hand).
 */
class SerialOwnershipTest {
    private final FakeClock clock = new FakeClock();
    private final FakeExecutor control = new FakeExecutor();
    private DefaultClusterLoadBalancer lb;

    @AfterEach
    void closeAndCheckTimers() {
        if (lb != null) {
            lb.close();
            control.runAll();
        }
        assertThat(clock.pendingTasks()).isEmpty();
        assertThat(control.pending()).isZero();
    }

    private DefaultClusterLoadBalancer start(LbPolicy policy, int consecutive5xx) {
        OutlierDetectionConfig od = new OutlierDetectionConfig(
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
        lb = (DefaultClusterLoadBalancer) ClusterLoadBalancers.create(
                "outbound|80||owned.default.svc.cluster.local",
                config(policy, 0, false, od),
                List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0)),
                clock,
                RandomSource.seeded(7),
                clock,
                control);
        return lb;
    }

    @Test
    void thresholdCrossingPostsTheEjectionAndTheCallerBuildsNothing() {
        start(LbPolicy.MAGLEV, 3);
        Host a = TestHosts.find(lb, "a");
        LbSnapshot before = lb.snapshot();

        for (int i = 0; i < 3; i++) {
            lb.onResponse(a, 503);
        }

        assertThat(lb.snapshot())
                .as("no snapshot built on the reporting thread")
                .isSameAs(before);
        assertThat(a.ejected()).isFalse();
        assertThat(control.pending()).isEqualTo(1);

        control.runAll();

        assertThat(a.ejected()).isTrue();
        assertThat(lb.snapshot()).isNotSameAs(before);
        assertThat(lb.snapshot().hashTable(0).choose(12345L).spec().address()).isEqualTo("b");
        assertThat(lb.stats().ejectionsActive()).isEqualTo(1);
    }

    @Test
    void aBurstOfEjectionsIsAppliedByTheFirstDrainAndTheRestFindNothingToDo() {
        start(LbPolicy.ROUND_ROBIN, 1);
        Host a = TestHosts.find(lb, "a");
        Host b = TestHosts.find(lb, "b");
        lb.onResponse(a, 500);
        lb.onResponse(b, 500);
        assertThat(control.pending()).isEqualTo(2);

        assertThat(control.runNext()).isTrue();

        assertThat(a.ejected()).isTrue();
        assertThat(b.ejected()).isTrue();
        assertThat(lb.snapshot().priorities().get(0).healthyCount()).isZero();
        LbSnapshot afterFirst = lb.snapshot();
        assertThat(control.runNext()).isTrue();
        assertThat(lb.snapshot()).isSameAs(afterFirst);
        assertThat(lb.stats().ejectionsEnforced(OutlierEjectionType.CONSECUTIVE_5XX))
                .isEqualTo(2);
    }

    @Test
    void theIntervalSweepRunsOnTheExecutorNotOnTheTimerThread() {
        start(LbPolicy.ROUND_ROBIN, 1);
        Host a = TestHosts.find(lb, "a");
        lb.onResponse(a, 500);
        control.runAll();
        LbSnapshot ejected = lb.snapshot();

        clock.advance(Duration.ofSeconds(10));

        assertThat(a.ejected()).as("the timer only posted the sweep").isTrue();
        assertThat(lb.snapshot()).isSameAs(ejected);
        control.runAll();
        assertThat(a.ejected()).isFalse();
        assertThat(pickCountsByAddress(lb, 10)).containsKeys("a", "b");
        assertThat(lb.stats().ejectionsActive()).isZero();
    }

    @Test
    void anUpdateFromTheOwnerAppliesBeforeReturningAfterEarlierPostedWork() {
        start(LbPolicy.ROUND_ROBIN, 1);
        Host a = TestHosts.find(lb, "a");
        lb.onResponse(a, 500);

        // The owner's update drains the queue in order: the posted ejection first, then the update.
        lb.update(lb.snapshot().config(), List.of(host("a", "r/z1/", 0), host("b", "r/z1/", 0), host("c", "r/z1/", 0)));

        assertThat(a.ejected()).isTrue();
        assertThat(pickCountsByAddress(lb, 20)).containsOnlyKeys("b", "c");
        assertThat(control.runAll()).as("the posted drain finds nothing left").isEqualTo(1);
    }

    @Test
    void anEjectionPostedForAHostThatLeftMeanwhileIsIgnored() {
        start(LbPolicy.ROUND_ROBIN, 1);
        Host a = TestHosts.find(lb, "a");
        lb.update(lb.snapshot().config(), List.of(host("b", "r/z1/", 0)));

        lb.onResponse(a, 500);
        control.runAll();

        assertThat(a.ejected()).isFalse();
        assertThat(lb.stats().ejectionsActive()).isZero();
        assertThat(lb.stats().ejectionsDetected(OutlierEjectionType.CONSECUTIVE_5XX))
                .isZero();
    }
}

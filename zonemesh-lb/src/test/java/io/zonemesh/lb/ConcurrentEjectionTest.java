package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.hosts;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Event loops reporting results concurrently, with a real thread owning the balancer's state. */
class ConcurrentEjectionTest {
    private static final int REPORTERS = 8;
    private static final int HOSTS = 40;
    private static final int THRESHOLD = 5;
    private static final int ROUNDS = 50;

    /** Timers never fire here: the ejections under test are the threshold ones, not the sweep's. */
    private static final Scheduler NO_TIMERS = (task, delay) -> () -> {};
    /** Time stands still; safe to read from the control thread (FakeClock is test-thread only). */
    private static final Clock FROZEN = new Clock() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public long currentTimeMillis() {
            return 0;
        }
    };

    private final ExecutorService control = Executors.newSingleThreadExecutor();
    private final ExecutorService reporters = Executors.newFixedThreadPool(REPORTERS);

    @AfterEach
    void stopThreads() throws InterruptedException {
        reporters.shutdownNow();
        control.shutdownNow();
        assertThat(reporters.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(control.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private DefaultClusterLoadBalancer start(LbPolicy policy) {
        OutlierDetectionConfig od = new OutlierDetectionConfig(
                THRESHOLD,
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
        return (DefaultClusterLoadBalancer) ClusterLoadBalancers.create(
                "concurrent",
                config(policy, 0, false, od),
                hosts("h", "r/z1/", 0, 1, HOSTS, HOSTS),
                FROZEN,
                RandomSource.system(),
                NO_TIMERS,
                control);
    }

    @Test
    void everyThresholdCrossingEjectsItsHostExactlyOnce() throws Exception {
        DefaultClusterLoadBalancer lb = start(LbPolicy.ROUND_ROBIN);
        List<Host> all = new ArrayList<>();
        for (int i = 0; i < HOSTS; i++) {
            all.add(TestHosts.find(lb, "h-" + i));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < REPORTERS; t++) {
            int offset = t;
            done.add(reporters.submit(() -> {
                go.await();
                // Each reporter fails every host ROUNDS times, starting at a different host, so
                // the increment that reaches the threshold comes from any of them, and failures
                // keep arriving while the owner ejects and restarts the streak.
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < HOSTS; i++) {
                        lb.onResponse(all.get((i + offset * 5) % HOSTS), 503);
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        control.submit(() -> {}).get(30, TimeUnit.SECONDS);

        assertThat(all).allSatisfy(h -> assertThat(h.ejected()).isTrue());
        assertThat(lb.status()).allSatisfy(s -> assertThat(s.ejectionCount()).isEqualTo(1));
        LbStats stats = lb.stats();
        assertThat(stats.ejectionsActive()).isEqualTo(HOSTS);
        assertThat(stats.ejectionsEnforced(OutlierEjectionType.CONSECUTIVE_5XX)).isEqualTo(HOSTS);
        assertThat(stats.ejectionsDetected(OutlierEjectionType.CONSECUTIVE_5XX)).isEqualTo(HOSTS);
        assertThat(lb.snapshot().priorities().get(0).healthyCount()).isZero();
    }

    @Test
    void picksAndReportsNeverWaitForTheThreadThatOwnsTheState() throws Exception {
        DefaultClusterLoadBalancer lb = start(LbPolicy.MAGLEV);
        CountDownLatch ownerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Occupy the serial executor as a long Maglev build or a big EDS update would.
        lb.control().post(() -> {
            ownerBusy.countDown();
            awaitQuietly(release);
        });
        assertThat(ownerBusy.await(10, TimeUnit.SECONDS)).isTrue();

        List<Future<Integer>> pickers = new ArrayList<>();
        for (int t = 0; t < REPORTERS; t++) {
            pickers.add(reporters.submit(() -> {
                int picks = 0;
                for (long i = 0; i < 5_000; i++) {
                    Host host = lb.chooseHost(i * 0x9E3779B97F4A7C15L, Set.of());
                    host.onRequestStart();
                    lb.onResponse(host, 500);
                    host.onRequestEnd();
                    picks++;
                }
                return picks;
            }));
        }
        int total = 0;
        for (Future<Integer> picker : pickers) {
            // Finishing while the owner is still stuck shows the request path holds no lock the
            // owner holds and never waits for it.
            total += picker.get(30, TimeUnit.SECONDS);
        }
        assertThat(total).isEqualTo(REPORTERS * 5_000);
        assertThat(lb.stats().ejectionsActive())
                .as("nothing applied while the owner is busy")
                .isZero();

        release.countDown();
        control.submit(() -> {}).get(30, TimeUnit.SECONDS);
        assertThat(lb.stats().ejectionsActive()).isEqualTo(HOSTS);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.concat;
import static io.zonemesh.lb.TestHosts.hosts;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConcurrencySmokeTest {
    private static final int PICKERS = 4;
    private static final int PICKS_PER_THREAD = 20_000;
    private static final int UPDATES = 300;

    /** A clock that only moves when told, safe to read from any thread. */
    private static final class ManualClock implements Clock {
        final AtomicLong nanos = new AtomicLong();

        @Override
        public long nanoTime() {
            return nanos.get();
        }

        @Override
        public long currentTimeMillis() {
            return TimeUnit.NANOSECONDS.toMillis(nanos.get());
        }
    }

    /** Collects scheduled sweeps; the updater thread runs them, as a timer thread would. */
    private static final class QueueScheduler implements Scheduler {
        final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            tasks.add(task);
            return () -> tasks.remove(task);
        }
    }

    @Test
    void picksStayConsistentWhileAnotherThreadUpdatesAndEjects() throws Exception {
        ManualClock clock = new ManualClock();
        QueueScheduler scheduler = new QueueScheduler();
        OutlierDetectionConfig od = new OutlierDetectionConfig(
                3,
                100,
                5,
                0,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(2),
                Duration.ofSeconds(10),
                Duration.ofMillis(500),
                50,
                true);
        ClusterLbConfig config = new ClusterLbConfig(LbPolicy.LEAST_REQUEST, 140, 50, true, od);
        List<HostSpec> setA = concat(hosts("a", "r/z1/", 0, 1, 4, 4), hosts("b", "r/z2/", 1, 1, 4, 3));
        List<HostSpec> setB = concat(hosts("a", "r/z1/", 0, 2, 3, 3), hosts("c", "r/z3/", 1, 1, 5, 5));
        Set<String> known = new HashSet<>();
        concat(setA, setB).forEach(h -> known.add(h.address()));
        // The control thread stands in for the proxy's xDS executor: posted ejections drain there.
        ExecutorService control = Executors.newSingleThreadExecutor();
        ClusterLoadBalancer lb =
                ClusterLoadBalancers.create("smoke", config, setA, clock, RandomSource.system(), scheduler, control);

        ExecutorService pool = Executors.newFixedThreadPool(PICKERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> pickers = new ArrayList<>();
        for (int t = 0; t < PICKERS; t++) {
            int thread = t;
            pickers.add(pool.submit(() -> {
                start.await();
                int picked = 0;
                for (int i = 0; i < PICKS_PER_THREAD; i++) {
                    Host host = lb.chooseHost(i, Set.of());
                    assertThat(host).isNotNull();
                    assertThat(known).contains(host.spec().address());
                    host.onRequestStart();
                    lb.onResponse(host, (i + thread) % 7 == 0 ? 503 : 200);
                    host.onRequestEnd();
                    picked++;
                }
                return picked;
            }));
        }
        start.countDown();
        for (int u = 0; u < UPDATES; u++) {
            lb.update(config, u % 2 == 0 ? setB : setA);
            clock.nanos.addAndGet(Duration.ofMillis(400).toNanos());
            Runnable sweep = scheduler.tasks.poll();
            if (sweep != null) {
                sweep.run();
            }
        }
        int total = 0;
        for (Future<Integer> picker : pickers) {
            total += picker.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        // Let the last posted ejections and any update queued behind them finish.
        control.submit(() -> {}).get(10, TimeUnit.SECONDS);
        control.shutdown();
        assertThat(control.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(total).isEqualTo(PICKERS * PICKS_PER_THREAD);
        DefaultClusterLoadBalancer impl = (DefaultClusterLoadBalancer) lb;
        List<ClusterLoadBalancer.HostStatus> status = lb.status();
        assertThat(status)
                .extracting(s -> s.spec().address())
                .containsExactlyElementsOf(setA.stream().map(HostSpec::address).toList());
        assertThat(status).allSatisfy(s -> assertThat(s.activeRequests()).isZero());
        assertThat(impl.detector().activeEjections()).isEqualTo((int)
                status.stream().filter(ClusterLoadBalancer.HostStatus::ejected).count());
        assertThat(impl.snapshot().priorities().stream()
                        .mapToInt(PriorityHostSet::hostCount)
                        .sum())
                .isEqualTo(setA.size());
        lb.close();
        assertThat(scheduler.tasks).isEmpty();
    }
}

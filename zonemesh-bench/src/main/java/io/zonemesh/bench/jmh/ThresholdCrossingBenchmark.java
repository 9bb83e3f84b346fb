package io.zonemesh.bench.jmh;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.ClusterLoadBalancers;
import io.zonemesh.lb.Host;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.lb.LbPolicy;
import io.zonemesh.lb.OutlierDetectionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What an event loop pays for the response that takes a host over its outlier threshold
 * ({@code consecutive_5xx} 1): {@code owner=posted} is the proxy's path (the ejection and the
 * Maglev/ring rebuild are posted to the xDS thread); {@code owner=direct} is the same-run baseline
 * of the old behaviour, the reporting thread ejecting and rebuilding the snapshot itself. Each
 * invocation starts from a healthy cluster with nothing left for the owner to do. The posted work
 * is handed to the owner thread only between invocations, so the score is the reporting
 * thread's own work: on a small machine the woken owner could otherwise preempt the caller and
 * charge it the rebuild's CPU time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ThresholdCrossingBenchmark {
    /** Timers never fire: each invocation resets the cluster through updates instead. */
    private static final Scheduler NO_TIMERS = (task, delay) -> () -> {};

    @Param({"posted", "direct"})
    public String owner;

    @Param({"MAGLEV", "ROUND_ROBIN"})
    public LbPolicy policy;

    @Param("100")
    public int hosts;

    private ExecutorService control;
    private final Queue<Runnable> posted = new ConcurrentLinkedQueue<>();
    private ClusterLoadBalancer lb;
    private ClusterLbConfig withDetection;
    private ClusterLbConfig withoutDetection;
    private List<HostSpec> specs;
    // Set in setup() before any benchmark method runs (JMH's @Setup contract).
    @SuppressWarnings("NullAway.Init")
    private Host victim;

    @Setup(Level.Trial)
    public void setup() {
        control = Executors.newSingleThreadExecutor();
        Executor executor = "direct".equals(owner) ? Runnable::run : posted::add;
        OutlierDetectionConfig od = new OutlierDetectionConfig(
                1,
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
        withDetection = new ClusterLbConfig(policy, 140, 0, false, od);
        withoutDetection = new ClusterLbConfig(policy, 140, 0, false, null);
        specs = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            specs.add(new HostSpec("10.0." + (i / 250) + "." + (i % 250 + 1), 8080, "r/z/", 0, 1, 1, true, ""));
        }
        lb = ClusterLoadBalancers.create(
                "bench", withDetection, specs, Clock.system(), RandomSource.system(), NO_TIMERS, executor);
        victim = Objects.requireNonNull(lb.chooseHost(0, Set.of()), "a healthy cluster picks a host");
    }

    /** A healthy cluster again (removing detection unejects), with the owner idle. */
    @Setup(Level.Invocation)
    public void reset() throws InterruptedException, ExecutionException, TimeoutException {
        flush();
        lb.update(withoutDetection, specs);
        lb.update(withDetection, specs);
        flush();
    }

    /** The 503 that reaches the threshold. */
    @Benchmark
    public void crossThreshold() {
        lb.onResponse(victim, 503);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        lb.close();
        control.shutdown();
        control.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Whether the last crossing has been applied (for the smoke test). */
    boolean victimEjected() throws InterruptedException, ExecutionException, TimeoutException {
        flush();
        return victim.ejected();
    }

    /** Runs the work posted so far on the owner thread and waits for it. */
    private void flush() throws InterruptedException, ExecutionException, TimeoutException {
        control.submit(() -> {
                    for (Runnable task; (task = posted.poll()) != null; ) {
                        task.run();
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }
}

package io.zonemesh.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Fixed-rate latency of several targets measured in the same run, the way Istio reports a mesh's
 * added latency: the same open-loop schedule (e.g. 1,000 requests/s) against each target in turn
 * (the first is the baseline, usually the backend called directly), several rounds, each target
 * warmed up before each measurement, the order alternating between rounds so drift of a shared
 * machine does not favour one target. Added latency = target percentile − baseline percentile of
 * the same round. Optionally samples the CPU of named processes (the proxies) during each
 * measurement.
 *
 * <pre>
 * java -cp benchmarks.jar io.zonemesh.bench.load.LatencyBench \
 *   --target direct=127.0.0.1:8080 --target mesh=127.0.0.1:15001,host=server.bench.svc.cluster.local \
 *   --cpu client-proxy=PID --cpu server-proxy=PID --rate 1000 --duration 30 --warmup 10 --first-warmup 30 \
 *   --runs 3 [--json FILE]
 * </pre>
 */
public final class LatencyBench {
    private final Options options;
    private final Clock clock;
    private final PrintStream log;

    public LatencyBench(Options options, Clock clock, PrintStream log) {
        this.options = options;
        this.clock = clock;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Report report = new LatencyBench(o, Clock.system(), System.err).run();
        System.out.print(report.table());
        if (o.json != null) {
            Files.writeString(o.json, json(report));
        }
    }

    static String json(Object report) throws IOException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n";
    }

    public Report run() throws Exception {
        List<OpenLoopSender> senders = new ArrayList<>();
        List<Round> rounds = new ArrayList<>();
        try {
            for (LoadTarget t : options.targets) {
                senders.add(
                        OpenLoopSender.connect(t, options.connections, options.timeout, false, options.spin, clock));
            }
            for (int round = 1; round <= options.runs; round++) {
                List<OpenLoopSender> order = new ArrayList<>(senders);
                if (round % 2 == 0) {
                    java.util.Collections.reverse(order);
                }
                Map<String, RunResult> results = new LinkedHashMap<>();
                Map<String, Map<String, Double>> cpu = new LinkedHashMap<>();
                for (OpenLoopSender s : order) {
                    String name = s.target().name();
                    Duration warmup = round == 1
                            ? Objects.requireNonNullElse(options.firstWarmup, options.warmup)
                            : options.warmup;
                    if (!warmup.isZero()) {
                        log.printf(Locale.ROOT, "round %d: %s warm-up %d s%n", round, name, warmup.toSeconds());
                        s.run(options.rate, warmup, RequestListener.NONE).get();
                    }
                    Map<String, Double> before = cpuSeconds();
                    RunResult r = s.run(options.rate, options.duration, RequestListener.NONE)
                            .get();
                    Map<String, Double> after = cpuSeconds();
                    Map<String, Double> used = new LinkedHashMap<>();
                    after.forEach((proc, sec) -> used.put(proc, sec - before.getOrDefault(proc, 0.0)));
                    results.put(name, r);
                    cpu.put(name, used);
                    log.printf(
                            Locale.ROOT,
                            "round %d: %s p50 %.3f p90 %.3f p99 %.3f ms, %d failed, cpu %s%n",
                            round,
                            name,
                            r.latency().p50(),
                            r.latency().p90(),
                            r.latency().p99(),
                            r.failed(),
                            used);
                }
                rounds.add(new Round(round, orderedByTargets(results), cpu, added(results), ProcStats.loadAverage()));
            }
        } finally {
            senders.forEach(OpenLoopSender::close);
        }
        return new Report(
                options.rate,
                options.duration.toSeconds(),
                options.warmup.toSeconds(),
                options.connections,
                Runtime.getRuntime().availableProcessors(),
                rounds,
                summarize(rounds));
    }

    private Map<String, RunResult> orderedByTargets(Map<String, RunResult> results) {
        Map<String, RunResult> out = new LinkedHashMap<>();
        for (LoadTarget t : options.targets) {
            out.put(t.name(), results.get(t.name()));
        }
        return out;
    }

    private Map<String, Double> cpuSeconds() throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : options.cpuPids.entrySet()) {
            out.put(e.getKey(), ProcStats.cpuSeconds(e.getValue()));
        }
        return out;
    }

    /** Each non-baseline target's percentiles minus the baseline's, in ms. */
    private Map<String, Map<String, Double>> added(Map<String, RunResult> results) {
        LatencyStats.Summary base = Objects.requireNonNull(
                        results.get(options.targets.get(0).name()))
                .latency();
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (LoadTarget t : options.targets.subList(1, options.targets.size())) {
            LatencyStats.Summary s =
                    Objects.requireNonNull(results.get(t.name())).latency();
            Map<String, Double> added = new LinkedHashMap<>();
            added.put("p50", s.p50() - base.p50());
            added.put("p90", s.p90() - base.p90());
            added.put("p99", s.p99() - base.p99());
            added.put("p999", s.p999() - base.p999());
            out.put(t.name(), added);
        }
        return out;
    }

    private Map<String, Map<String, Spread>> summarize(List<Round> rounds) {
        Map<String, Map<String, Spread>> out = new LinkedHashMap<>();
        double seconds = options.duration.toNanos() / 1e9;
        for (LoadTarget t : options.targets) {
            Map<String, List<Double>> v = new LinkedHashMap<>();
            for (Round r : rounds) {
                RunResult res = Objects.requireNonNull(r.results().get(t.name()), "every round measures every target");
                add(v, "p50_ms", res.latency().p50());
                add(v, "p90_ms", res.latency().p90());
                add(v, "p99_ms", res.latency().p99());
                add(v, "p999_ms", res.latency().p999());
                add(v, "failed", (double) res.failed());
                add(v, "achieved_rps", res.achievedRate());
                Map<String, Double> added = r.added().get(t.name());
                if (added != null) {
                    added.forEach((p, ms) -> add(v, "added_" + p + "_ms", ms));
                }
                // vCPU per 1,000 requests/s: CPU seconds over the measurement / its seconds, scaled.
                r.cpu()
                        .getOrDefault(t.name(), Map.of())
                        .forEach(
                                (proc, sec) -> add(v, "vcpu_per_1000rps_" + proc, sec / seconds * 1000 / options.rate));
            }
            Map<String, Spread> s = new LinkedHashMap<>();
            v.forEach((k, list) -> s.put(k, Spread.of(list)));
            out.put(t.name(), s);
        }
        return out;
    }

    private static void add(Map<String, List<Double>> m, String key, double value) {
        m.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /**
     * One round: every target measured once.
     *
     * @param loadAverage the machine's 1-minute load average at the end of the round (shared machines) */
    public record Round(
            int round,
            Map<String, RunResult> results,
            Map<String, Map<String, Double>> cpu,
            Map<String, Map<String, Double>> added,
            double loadAverage) {}

    /** All rounds and, per target, the median (min–max) of each figure over rounds. */
    public record Report(
            double rate,
            long durationSeconds,
            long warmupSeconds,
            int connections,
            int cpus,
            List<Round> rounds,
            Map<String, Map<String, Spread>> summary) {

        /** Median (min–max) over rounds, one block per target. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(
                    Locale.ROOT,
                    "%.0f requests/s, %d s per measurement, %d rounds, %d connections%n",
                    rate,
                    durationSeconds,
                    rounds.size(),
                    connections));
            summary.forEach((target, figures) -> {
                sb.append(target).append('\n');
                figures.forEach((k, s) -> sb.append(String.format(Locale.ROOT, "  %-32s %s%n", k, s.format(3))));
            });
            return sb.toString();
        }
    }

    /** Command-line options. */
    public static final class Options {
        final List<LoadTarget> targets = new ArrayList<>();
        final Map<String, Long> cpuPids = new LinkedHashMap<>();
        double rate = 1000;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(10);
        /** The first round's warm-up: long enough for the proxies' JIT compilers to finish. */
        @Nullable
        Duration firstWarmup;

        int runs = 3;
        int connections = 16;
        Duration timeout = Duration.ofSeconds(5);
        Duration spin = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(50));

        @Nullable
        Path json;

        public static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                String a = args[i];
                if (i + 1 >= args.length && !a.equals("-h") && !a.equals("--help")) {
                    throw new IllegalArgumentException(a + ": missing value");
                }
                // -h and --help have no value: they fall to the usage below.
                String v = i + 1 < args.length ? args[i + 1] : "";
                switch (a) {
                    case "--target" -> o.targets.add(LoadTarget.parse(v));
                    case "--cpu" -> {
                        int eq = v.indexOf('=');
                        o.cpuPids.put(v.substring(0, eq), Long.parseLong(v.substring(eq + 1)));
                    }
                    case "--rate" -> o.rate = Double.parseDouble(v);
                    case "--duration" -> o.duration = seconds(v);
                    case "--warmup" -> o.warmup = seconds(v);
                    case "--first-warmup" -> o.firstWarmup = seconds(v);
                    case "--runs" -> o.runs = Integer.parseInt(v);
                    case "--connections" -> o.connections = Integer.parseInt(v);
                    case "--timeout" -> o.timeout = seconds(v);
                    case "--spin-us" -> o.spin = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(Long.parseLong(v)));
                    case "--json" -> o.json = Path.of(v);
                    default ->
                        throw new IllegalArgumentException(a + " (expected: --target NAME=HOST:PORT[,host=H]"
                                + "[,path=/p] ... [--cpu NAME=PID] [--rate N] [--duration S] [--warmup S] [--first-warmup S] [--runs N]"
                                + " [--connections N] [--timeout S] [--spin-us N] [--json FILE])");
                }
            }
            if (o.firstWarmup == null) {
                o.firstWarmup = o.warmup;
            }
            if (o.targets.isEmpty()) {
                throw new IllegalArgumentException("--target: at least one (the first is the baseline)");
            }
            return o;
        }

        /** Seconds, fractions allowed ({@code 0.5}). */
        private static Duration seconds(String v) {
            return Duration.ofNanos((long) (Double.parseDouble(v) * 1e9));
        }
    }
}

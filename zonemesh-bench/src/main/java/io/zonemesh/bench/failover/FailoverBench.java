package io.zonemesh.bench.failover;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonemesh.bench.load.FixedAddressMesh;
import io.zonemesh.bench.load.LoadTarget;
import io.zonemesh.bench.load.OpenLoopSender;
import io.zonemesh.bench.load.RequestListener;
import io.zonemesh.bench.load.RunResult;
import io.zonemesh.bench.load.Spread;
import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.proxy.ZonemeshProxy;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Zone loss under load (issue 4): examples/multi-az on the local mesh, in this JVM. A steady
 * open-loop rate (default 500 requests/s) goes from az01's {@code sleep} client through its
 * sidecar to {@code helloworld.sample:5000}; after {@code --before} seconds every az01 helloworld
 * instance stops (listener and open connections closed, as {@code zonemesh demo} phase (c) does),
 * and the harness counts failed requests and the time until every answer comes from az02.
 *
 * <p>Modes: {@code defaults} = the example's locality-failover DestinationRule (outlier detection
 * {@code consecutive5xxErrors: 1}) and Istio's default retry policy of default routes;
 * {@code retries} = the same plus a VirtualService with {@code retries: {attempts: 3, retryOn:
 * connect-failure,refused-stream,unavailable,cancelled,reset,503, retryRemoteLocalities: true}}.
 *
 * <pre>
 * java -cp benchmarks.jar io.zonemesh.bench.failover.FailoverBench --mode both --runs 3 --json out.json
 * </pre>
 */
public final class FailoverBench {
    static final String NAMESPACE = "sample";
    static final String CLIENT = "sleep-az01";
    static final String HOST = "helloworld.sample:5000";
    static final String RETRIES_VS = """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata: {name: helloworld, namespace: sample}
            spec:
              hosts: [helloworld.sample.svc.cluster.local]
              http:
              - route:
                - destination: {host: helloworld.sample.svc.cluster.local, port: {number: 5000}}
                retries:
                  attempts: 3
                  retryOn: connect-failure,refused-stream,unavailable,cancelled,reset,503
                  retryRemoteLocalities: true
            """;

    private final Options options;
    private final Clock clock;
    private final PrintStream log;

    public FailoverBench(Options options, Clock clock, PrintStream log) {
        this.options = options;
        this.clock = clock;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Report report = new FailoverBench(o, Clock.system(), System.err).run();
        System.out.print(report.table());
        if (o.json != null) {
            Files.writeString(
                    o.json,
                    new ObjectMapper()
                                    .enable(SerializationFeature.INDENT_OUTPUT)
                                    .writeValueAsString(report) + "\n");
        }
        System.exit(0); // the local mesh's gRPC threads are not daemons
    }

    public Report run() throws Exception {
        List<FailoverRun> runs = new ArrayList<>();
        for (int i = 1; i <= options.runs; i++) {
            for (String mode : options.modes) {
                FailoverRun r = runOnce(mode, i);
                log.printf(
                        Locale.ROOT,
                        "%s run %d: %d of %d failed (%d after the stop), all from az02 %.1f ms after the stop"
                                + " (which took %.1f ms); errors %s%n",
                        mode,
                        i,
                        r.failed(),
                        r.scheduled(),
                        r.failedAfterStop(),
                        r.msUntilAllAz02(),
                        r.stopMillis(),
                        r.errorKinds());
                runs.add(r);
            }
        }
        Map<String, Map<String, Spread>> summary = new LinkedHashMap<>();
        for (String mode : options.modes) {
            List<FailoverRun> of =
                    runs.stream().filter(r -> r.mode().equals(mode)).toList();
            Map<String, Spread> s = new LinkedHashMap<>();
            s.put("failed", Spread.of(of.stream().map(r -> (double) r.failed()).toList()));
            s.put(
                    "ms_until_all_az02",
                    Spread.of(of.stream().map(FailoverRun::msUntilAllAz02).toList()));
            s.put("stop_ms", Spread.of(of.stream().map(FailoverRun::stopMillis).toList()));
            s.put(
                    "az01_answers_during_stop",
                    Spread.of(of.stream().map(r -> (double) r.az01AfterStop()).toList()));
            s.put("p99_ms", Spread.of(of.stream().map(FailoverRun::p99Ms).toList()));
            s.put("max_ms", Spread.of(of.stream().map(FailoverRun::maxMs).toList()));
            summary.put(mode, s);
        }
        return new Report(
                options.rate, options.before.toMillis() / 1000.0, options.after.toMillis() / 1000.0, runs, summary);
    }

    private FailoverRun runOnce(String mode, int run) throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        if (mode.equals("retries")) {
            Files.writeString(dir.resolve("retries.yaml"), RETRIES_VS);
        } else if (!mode.equals("defaults")) {
            throw new IllegalArgumentException("mode: " + mode + " (expected: defaults, retries or both)");
        }
        try (LocalMesh mesh = LocalMesh.start(FixedAddressMesh.load(dir), RandomSource.system())) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            ZonemeshProxy sidecar = mesh.sidecarOf(NAMESPACE, CLIENT);
            Map<String, String> zones = new HashMap<>();
            for (String owner : List.of("helloworld-az01", "helloworld-az02")) {
                for (PodInstance p : mesh.podsOf(NAMESPACE, owner)) {
                    zones.put(p.name(), p.locality().zone());
                }
            }
            LoadTarget target = new LoadTarget(
                    mode,
                    new InetSocketAddress(
                            "127.0.0.1",
                            Objects.requireNonNull(sidecar, "the mesh injects the client")
                                    .outboundPort()),
                    HOST,
                    "/hello");
            try (OpenLoopSender sender = OpenLoopSender.connect(
                    target, options.connections, options.timeout, true, Duration.ofNanos(50_000), clock)) {
                if (!options.warmup.isZero()) {
                    sender.run(options.rate, options.warmup, RequestListener.NONE)
                            .get();
                }
                Outcomes outcomes = new Outcomes(zones);
                List<EchoServer> az01 = mesh.appsOf(NAMESPACE, "helloworld-az01");
                long[] stop = new long[2];
                CompletableFuture<RunResult> measured =
                        sender.run(options.rate, options.before.plus(options.after), outcomes);
                // Stopping blocks until the listener is closed: off the sender's and the mesh's loops.
                CompletableFuture<Void> stopped = CompletableFuture.runAsync(
                        () -> {
                            stop[0] = clock.nanoTime();
                            az01.forEach(EchoServer::stop);
                            stop[1] = clock.nanoTime();
                        },
                        CompletableFuture.delayedExecutor(options.before.toNanos(), TimeUnit.NANOSECONDS));
                RunResult result = measured.get();
                stopped.get();
                return analyse(mode, run, result, outcomes.all(), stop[0], stop[1]);
            }
        }
    }

    static FailoverRun analyse(
            String mode, int run, RunResult result, List<Outcomes.Outcome> outcomes, long stopStart, long stopEnd) {
        long failedAfter = 0;
        long az01After = 0;
        long az02After = 0;
        long lastNotAz02 = stopEnd;
        for (Outcomes.Outcome o : outcomes) {
            if (o.doneNanos() < stopStart) {
                continue;
            }
            switch (o.zone()) {
                case "az02" -> az02After++;
                case "az01" -> az01After++;
                case Outcomes.FAILED -> failedAfter++;
                default -> {}
            }
            if (!o.zone().equals("az02")) {
                lastNotAz02 = Math.max(lastNotAz02, o.doneNanos());
            }
        }
        return new FailoverRun(
                mode,
                run,
                result.rate(),
                result.scheduled(),
                result.ok(),
                result.failed(),
                failedAfter,
                az01After,
                az02After,
                (lastNotAz02 - stopEnd) / 1e6,
                (stopEnd - stopStart) / 1e6,
                result.latency().p99(),
                result.latency().max(),
                result.errorKinds());
    }

    /** Every run, and per mode the median (min–max) of each figure. */
    public record Report(
            double rate,
            double beforeSeconds,
            double afterSeconds,
            List<FailoverRun> runs,
            Map<String, Map<String, Spread>> summary) {
        public String table() {
            StringBuilder sb = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%.0f requests/s from %s; az01 stopped %.1f s in, " + "measured %.1f s after; %d runs%n",
                    rate,
                    CLIENT,
                    beforeSeconds,
                    afterSeconds,
                    runs.size()));
            summary.forEach((mode, s) -> {
                sb.append(mode).append('\n');
                s.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-26s %s%n", k, v.format(1))));
            });
            return sb.toString();
        }
    }

    /** Command-line options. */
    public static final class Options {
        List<String> modes = List.of("defaults", "retries");
        double rate = 500;
        Duration before = Duration.ofSeconds(3);
        Duration after = Duration.ofSeconds(7);
        Duration warmup = Duration.ofSeconds(3);
        Duration timeout = Duration.ofSeconds(5);
        int runs = 3;
        int connections = 16;

        @Nullable
        Path json;

        public static Options parse(String... args) {
            Options o = new Options();
            for (int i = 0; i + 1 < args.length; i += 2) {
                String v = args[i + 1];
                switch (args[i]) {
                    case "--mode" -> o.modes = v.equals("both") ? List.of("defaults", "retries") : List.of(v);
                    case "--rate" -> o.rate = Double.parseDouble(v);
                    case "--before" -> o.before = seconds(v);
                    case "--after" -> o.after = seconds(v);
                    case "--warmup" -> o.warmup = seconds(v);
                    case "--timeout" -> o.timeout = seconds(v);
                    case "--runs" -> o.runs = Integer.parseInt(v);
                    case "--connections" -> o.connections = Integer.parseInt(v);
                    case "--json" -> o.json = Path.of(v);
                    default ->
                        throw new IllegalArgumentException(args[i] + " (expected: --mode defaults|retries|both"
                                + " --rate N --before S --after S --warmup S --timeout S --runs N --connections N"
                                + " --json FILE)");
                }
            }
            if (args.length % 2 != 0) {
                throw new IllegalArgumentException(args[args.length - 1] + ": missing value");
            }
            return o;
        }

        private static Duration seconds(String v) {
            return Duration.ofNanos((long) (Double.parseDouble(v) * 1e9));
        }
    }
}

package io.zonemesh.cli.demo;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.istio.ConnectionPoolSettings;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.proxy.ZonemeshProxy;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * examples/canary through its ingress gateway: (a) {@code user: alice} goes to v1; (b) the
 * default route splits 90/10 between v1 and v2; (c) {@code /v3} is aborted with 400 for 10% of
 * requests; (d) with a one-request pool on subset v1, concurrent slow requests overflow it and
 * are answered 503 (UO) by the gateway.
 */
public final class CanaryDemo {
    static final String GATEWAY_NS = "dev";
    static final String GATEWAY = "test-gateway";
    static final String HOST = "http://istiotest.example.com";
    private static final Pattern VERSION = Pattern.compile("Hello version: (\\S+),");
    private static final List<String> VERSIONS = List.of("v1", "v2", "v3");

    private final int requests;
    private final RandomSource random;
    private final @Nullable PrintStream progress;

    public CanaryDemo(int requests, RandomSource random, @Nullable PrintStream progress) {
        this.requests = requests;
        this.random = random;
        this.progress = progress;
    }

    public DemoReport run() throws Exception {
        Path dir = ExampleFiles.extract("canary", List.of("mesh.yaml", "gateway.yaml"));
        MeshConfigBundle example = DemoSupport.load(dir);
        List<DemoPhase> phases = new ArrayList<>();
        try (LocalMesh mesh = LocalMesh.start(example, random)) {
            DemoSupport.awaitConverged(mesh, progress);
            Sender gateway = gateway(mesh);
            phases.add(phase(
                    "a",
                    "header user: alice -> subset v1",
                    gateway.send(URI.create(HOST + "/"), Math.min(requests, 200), "GET", List.of("user: alice"), null),
                    List.of()));
            phases.add(phase(
                    "b",
                    "default route: 90% v1, 10% v2",
                    gateway.send(URI.create(HOST + "/"), requests, "GET", List.of(), null),
                    List.of()));
            phases.add(phase(
                    "c",
                    "/v3 with fault abort 400 for 10% of requests",
                    gateway.send(URI.create(HOST + "/v3"), requests, "GET", List.of(), null),
                    List.of()));

            DemoSupport.applyAndAwait(mesh, onePool(example), progress);
            SendResult burst = burst(gateway, 20);
            long overflows = overflows(mesh, "outbound|8900|v1|istio-test.dev.svc.cluster.local");
            phases.add(phase(
                    "d",
                    "subset v1 limited to one request: a burst of 20 slow calls overflows its pool",
                    burst,
                    List.of(
                            "(DestinationRule subset v1: maxConnections 1, http1MaxPendingRequests 1, "
                                    + "http2MaxRequests 1; each call holds the upstream 300 ms)",
                            OVERFLOWS + overflows + " (answered 503 with response flag UO)")));
        }
        return new DemoReport("canary", VERSIONS, phases);
    }

    private static Sender gateway(LocalMesh mesh) {
        MeshStateFile state = mesh.describe("");
        MeshStateFile.Gateway g = state.gateway(GATEWAY_NS, GATEWAY);
        MeshStateFile.Proxy proxy = g == null ? null : state.gatewayFor(g.selector());
        Integer port = proxy == null ? null : proxy.gatewayPorts().get(80);
        if (port == null) {
            throw new IllegalStateException(
                    "the ingress gateway of " + GATEWAY_NS + "/" + GATEWAY + " is not listening");
        }
        return Sender.throughGateway(new InetSocketAddress("127.0.0.1", port), Duration.ofSeconds(15));
    }

    /** Concurrent single requests, each holding the upstream for a while ({@code ?delay=300}). */
    private static SendResult burst(Sender gateway, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<SendResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(
                        () -> gateway.send(URI.create(HOST + "/?delay=300"), 1, "GET", List.of("user: alice"), null)));
            }
            Map<String, Integer> responses = new HashMap<>();
            Map<String, Integer> causes = new HashMap<>();
            int errors = 0;
            for (Future<SendResult> f : futures) {
                SendResult r = f.get();
                errors += r.errors();
                r.responses().forEach((k, v) -> responses.merge(k, v, Integer::sum));
                r.errorCauses().forEach((k, v) -> causes.merge(k, v, Integer::sum));
            }
            return new SendResult(n, errors, responses, causes);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The example with subset v1 limited to one connection and one request at a time. */
    static MeshConfigBundle onePool(MeshConfigBundle bundle) {
        ConnectionPoolSettings one = new ConnectionPoolSettings(
                new ConnectionPoolSettings.Tcp(1, null, null, null, null),
                new ConnectionPoolSettings.Http(1, 1, null, null, null, null, null, null));
        List<DestinationRuleConfig> rules = new ArrayList<>();
        for (DestinationRuleConfig dr : bundle.istio().destinationRules()) {
            List<DestinationRuleConfig.Subset> subsets = new ArrayList<>();
            for (DestinationRuleConfig.Subset s : dr.subsets()) {
                if (s.name().equals("v1")) {
                    TrafficPolicy tp = s.trafficPolicy() == null ? TrafficPolicy.EMPTY : s.trafficPolicy();
                    s = new DestinationRuleConfig.Subset(
                            s.name(),
                            s.labels(),
                            new TrafficPolicy(
                                    tp.loadBalancer(), one, tp.outlierDetection(), tp.tls(), tp.portLevelSettings()));
                }
                subsets.add(s);
            }
            rules.add(new DestinationRuleConfig(
                    dr.meta(), dr.host(), dr.trafficPolicy(), subsets, dr.exportTo(), dr.workloadSelector()));
        }
        IstioConfig i = bundle.istio();
        return DemoSupport.withIstio(
                bundle,
                new IstioConfig(
                        rules,
                        i.virtualServices(),
                        i.serviceEntries(),
                        i.workloadEntries(),
                        i.gateways(),
                        i.sidecars()));
    }

    private DemoPhase phase(String id, String title, SendResult r, List<String> notes) {
        ZoneCounts counts = DemoSupport.classify("ingress", "v1", r, line -> {
            Matcher m = VERSION.matcher(line);
            return m.find() ? m.group(1) : "";
        });
        List<String> all = new ArrayList<>(notes);
        r.errorCauses().forEach((cause, n) -> all.add(n + " answered " + cause));
        DemoPhase phase = new DemoPhase(id, title, List.of(counts), all);
        if (progress != null) {
            progress.println(phase.toText(VERSIONS));
        }
        return phase;
    }

    static final String OVERFLOWS = "circuit-breaker overflows counted by the gateway: ";

    /** The gateway's circuit-breaker overflow count for one cluster, over all resources. */
    private static long overflows(LocalMesh mesh, String cluster) {
        ZonemeshProxy gw = mesh.sidecarOf("istio-system", "istio-ingressgateway");
        if (gw == null) {
            return 0;
        }
        return Math.round(
                gw
                        .metrics()
                        .registry()
                        .find("zonemesh.cluster.overflows")
                        .tag("cluster", cluster)
                        .functionCounters()
                        .stream()
                        .mapToDouble(c -> c.count())
                        .sum());
    }

    /** The overflow count a report's phase (d) recorded, or -1. */
    public static long overflows(DemoReport report) {
        return report.phase("d").notes().stream()
                .filter(n -> n.startsWith(OVERFLOWS))
                .mapToLong(n -> Long.parseLong(n.substring(OVERFLOWS.length(), n.indexOf(' ', OVERFLOWS.length()))))
                .findFirst()
                .orElse(-1);
    }

    /** How many of a phase's errors had this cause, e.g. {@code HTTP 400}. */
    public static int errorsWith(DemoReport report, String phase, String cause) {
        return report.phase(phase).notes().stream()
                .filter(n -> n.endsWith(" answered " + cause))
                .mapToInt(n -> Integer.parseInt(n.substring(0, n.indexOf(' '))))
                .sum();
    }
}

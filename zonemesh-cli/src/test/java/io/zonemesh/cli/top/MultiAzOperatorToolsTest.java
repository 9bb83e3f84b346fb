package io.zonemesh.cli.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.Main;
import io.zonemesh.cli.demo.DemoReport;
import io.zonemesh.cli.demo.MultiAzDemo;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 13's done-when over real sockets: the multi-AZ demo's mesh through its phases, with
 * {@code top zones --once} sampled around each phase's traffic (the once view's two samples
 * bracket exactly that traffic) and, in phase (c) with az01's helloworld stopped,
 * {@code proxy-config endpoints} and {@code x explain} read through the mesh state file as after
 * {@code zonemesh up}. It lives beside {@code MultiAzDemoTest} rather than in zonemesh-e2e: with
 * zonemesh-cli on its classpath, zonemesh-e2e's {@code ClasspathTest} (the CEL classes' jar order)
 * no longer holds.
 */
class MultiAzOperatorToolsTest {
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final int REQUESTS = 200;
    private static final double PRICE = 0.01;

    @TempDir
    Path stateDir;

    private final Map<String, JsonNode> views = new HashMap<>();
    private final Map<String, String> phaseC = new HashMap<>();

    @Test
    void topZonesProxyConfigAndExplainTellEachPhasesStory() throws Exception {
        DemoReport report = new MultiAzDemo(
                        REQUESTS,
                        Duration.ofSeconds(10),
                        RandomSource.seededThreadSafe(13),
                        null,
                        new TopAroundTraffic())
                .run();

        // (a) no DestinationRule: LEAST_REQUEST over both zones, about half the calls cross.
        JsonNode a = views.get("a");
        assertThat(requests(a)).isCloseTo(2.0 * REQUESTS, within(1e-6));
        assertThat(a.path("cross_zone_request_share").asDouble()).isBetween(0.35, 0.65);
        assertThat(a.path("cross_zone_byte_share").asDouble()).isBetween(0.35, 0.65);
        assertCostIsBytesTimesPrice(a);
        assertThat(a.path("cross_zone_cost_per_day").asDouble()).isPositive();

        // (b) locality failover: everything stays in its zone.
        JsonNode b = views.get("b");
        assertThat(requests(b)).isCloseTo(2.0 * REQUESTS, within(1e-6));
        assertThat(b.path("cross_zone_request_share").asDouble()).isZero();
        assertThat(b.path("cross_zone_cost_per_day").asDouble()).isZero();

        // (c) az01's helloworld stopped: az01's client fails over to az02, az02's stays home.
        JsonNode c = views.get("c");
        int errors = report.phase("c").client("sleep-az01").errors();
        assertThat(pair(c, "az01", "az02")).isCloseTo(REQUESTS - errors, within(1.0 + 1e-6));
        assertThat(pair(c, "az02", "az02")).isCloseTo(REQUESTS, within(1e-6));
        assertThat(pair(c, "az02", "az01")).isZero();
        assertThat(c.path("cross_zone_request_share").asDouble()).isBetween(0.49, 0.51);
        assertCostIsBytesTimesPrice(c);
        assertThat(c.path("failover_events")).anySatisfy(e -> {
            assertThat(e.path("proxy").asText()).startsWith("sleep-az01-");
            assertThat(e.path("reason").asText()).isEqualTo("outlier_ejection");
            assertThat(e.path("cluster").asText()).isEqualTo(HELLO);
            assertThat(e.path("from").asText()).isEqualTo("P0 sg/az01 100%");
            assertThat(e.path("to").asText()).isEqualTo("P1 sg/az02 100%");
        });
        assertThat(views.get("b").path("failover_events")).isEmpty();

        String endpoints = phaseC.get("endpoints");
        assertThat(endpoints).containsPattern("127\\.0\\.0\\.1:\\d+ +HEALTHY +FAILED +\\Q" + HELLO + "\\E\n");
        assertThat(phaseC.get("wide"))
                .containsPattern("(?m)^127\\.0\\.0\\.1:\\d+ +HEALTHY +FAILED +\\Q" + HELLO + "\\E +sg/az01 +0 +1$")
                .containsPattern("(?m)^127\\.0\\.0\\.1:\\d+ +HEALTHY +OK +\\Q" + HELLO + "\\E +sg/az02 +1 +1$");
        assertThat(phaseC.get("explain"))
                .containsPattern("(?m)^0 +sg/az01 +.*default failover: same region, zone and subzone")
                .containsPattern("(?m)^1 +sg/az02 +.*default failover: same region sg, other zone");
        assertThat(phaseC.get("top")).contains("outlier_ejection").contains("cross-zone cost: $");
    }

    private static double requests(JsonNode view) {
        double total = 0;
        for (JsonNode z : view.path("zones")) {
            total += z.path("requests_per_second").asDouble();
        }
        return total * view.path("seconds").asDouble();
    }

    /** Requests of one zone pair in the phase: its rate times the sampled time. */
    private static double pair(JsonNode view, String from, String to) {
        for (JsonNode z : view.path("zones")) {
            if (z.path("source_zone").asText().equals(from)
                    && z.path("destination_zone").asText().equals(to)) {
                return z.path("requests_per_second").asDouble()
                        * view.path("seconds").asDouble();
            }
        }
        return 0;
    }

    private static void assertCostIsBytesTimesPrice(JsonNode view) {
        assertThat(view.path("cross_zone_bytes_per_second").asDouble()).isPositive();
        assertThat(view.path("cross_zone_cost_per_day").asDouble())
                .isCloseTo(view.path("cross_zone_bytes_per_second").asDouble() * 86_400 / 1e9 * PRICE, within(1e-12));
    }

    /**
     * {@code top zones --once --json} whose wait between its two samples is the phase's traffic:
     * the first sample is taken before the traffic starts, the second once it has ended.
     */
    private final class TopAroundTraffic implements MultiAzDemo.PhaseHook {
        private CountDownLatch sampled = new CountDownLatch(1);
        private CountDownLatch trafficDone = new CountDownLatch(1);
        private CompletableFuture<String> view = CompletableFuture.completedFuture("");

        @Override
        public void beforeTraffic(String id, LocalMesh mesh) throws Exception {
            MeshStateFile state = mesh.describe("examples/multi-az");
            state.write(stateDir);
            sampled = new CountDownLatch(1);
            trafficDone = new CountDownLatch(1);
            CountDownLatch first = sampled;
            CountDownLatch done = trafficDone;
            ZonesTop top = new ZonesTop(
                    new ZoneSampler(ProxyScraper.ProxyEndpoint.of(state), ProxyScraper.http(), Clock.system()),
                    interval -> {
                        first.countDown();
                        return done.await(60, TimeUnit.SECONDS);
                    },
                    Duration.ofSeconds(2),
                    Duration.ofMinutes(1),
                    PRICE,
                    true,
                    1);
            view = CompletableFuture.supplyAsync(() -> {
                StringWriter out = new StringWriter();
                try {
                    assertThat(top.once(new PrintWriter(out))).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                return out.toString();
            });
            assertThat(sampled.await(30, TimeUnit.SECONDS))
                    .as("first sample of phase %s", id)
                    .isTrue();
        }

        @Override
        public void afterTraffic(String id, LocalMesh mesh) throws Exception {
            trafficDone.countDown();
            views.put(id, new ObjectMapper().readTree(view.get(60, TimeUnit.SECONDS)));
            if (id.equals("c")) {
                String pod = mesh.describe("").proxyOf("sample", "sleep-az01").pod() + ".sample";
                phaseC.put("endpoints", run("proxy-config", "endpoints", pod, "--cluster", HELLO));
                phaseC.put("wide", run("proxy-config", "endpoints", pod, "--cluster", HELLO, "-o", "wide"));
                phaseC.put("explain", run("x", "explain", pod, "helloworld.sample:5000"));
                phaseC.put("top", run("top", "zones", "--once", "--interval", "200ms"));
            }
        }
    }

    /** Runs a command line as {@code Main.run} does, against the state file; its output, or a failure. */
    private String run(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", stateDir.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(all.toArray(String[]::new));
        cl.getOut().flush();
        cl.getErr().flush();
        assertThat(exit).as("%s: %s", all, err).isZero();
        return out.toString();
    }
}

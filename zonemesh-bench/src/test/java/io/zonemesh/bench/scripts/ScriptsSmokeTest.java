package io.zonemesh.bench.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of each load script (proxy-bench, latency-bench with its mTLS targets,
 * proxy-memory-bench) at the smallest durations: the scripts start real nginx, HAProxy, wrk, control planes and proxies, so
 * they run only where those tools are installed (`.ci/run` installs them) and are skipped, with
 * the reason, elsewhere. The CLI and the harness classes come from this test's own classpath
 * (ZONEMESH_CMD and BENCH_JAR), so nothing is rebuilt. Every run is bounded by a timeout and the
 * scripts stop every process they start.
 */
class ScriptsSmokeTest {
    private static final Path SCRIPTS = Paths.get("scripts").toAbsolutePath();
    private static final long TIMEOUT_SECONDS = 240;

    @TempDir
    static Path work;

    private static Path zonemesh;

    @BeforeAll
    static void cliOnThisClasspath() throws IOException {
        zonemesh = work.resolve("zonemesh");
        Files.writeString(
                zonemesh,
                "#!/bin/sh\n"
                        + "exec java -Xmx256m ${ZONEMESH_JAVA_OPTS:-} -cp '" + System.getProperty("java.class.path")
                        + "' io.zonemesh.cli.Main \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(zonemesh, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void proxyBenchMeasuresAllFourTargets() throws Exception {
        Path out = run(
                "proxy-bench.sh",
                List.of("wrk", "nginx", "haproxy", "jq", "curl", "python3"),
                "-d",
                "1",
                "-w",
                "1",
                "-c",
                "16");

        List<String> rows = Files.readAllLines(out.resolve("proxy-bench.csv"));
        assertThat(rows).hasSize(5);
        assertThat(rows.subList(1, 5))
                .extracting(r -> r.split(",")[1])
                .containsExactly("direct", "zonemesh", "nginx", "haproxy");
        for (String row : rows.subList(1, 5)) {
            String[] f = row.split(",");
            assertThat(Double.parseDouble(f[2])).as(row).isPositive(); // requests/s
            assertThat(f[8]).as("wrk errors in " + row).isEqualTo("\"\"");
        }
    }

    @Test
    void latencyBenchMeasuresProxiesAndTheHaproxyAnchorInPlaintextAndMutualTls() throws Exception {
        Path out = run(
                "latency-bench.sh",
                List.of("nginx", "haproxy", "curl", "jq", "python3", "openssl"),
                "-m",
                "-r",
                "200",
                "-n",
                "1",
                "-d",
                "1",
                "-w",
                "1",
                "-f",
                "1",
                "-c",
                "4");

        JsonNode json = new ObjectMapper().readTree(out.resolve("latency.json").toFile());
        assertThat(json.toString())
                .contains("\"two-proxies\"", "\"two-proxies-mtls\"", "\"haproxy-two\"", "\"haproxy-two-tls\"", "vcpu");
        assertThat(Files.readString(out.resolve("latency.txt"))).contains("added_p99_ms", "haproxy-one");
        // The script refuses to measure unless the mTLS path carried a verified client certificate.
        assertThat(Files.readString(out.resolve("mtls-check.txt")))
                .contains(
                        "URI=spiffe://cluster.local/ns/bench/sa/default",
                        "URI:spiffe://cluster.local/ns/bench/sa/default");
    }

    @Test
    void memoryBenchReadsFootprintIdleAndUnderLoad() throws Exception {
        Path out = run(
                "proxy-memory-bench.sh",
                List.of("nginx", "curl", "jq", "python3", "jcmd"),
                "-s",
                "10",
                "-n",
                "1",
                "-r",
                "200",
                "-d",
                "1",
                "-i",
                "1");

        List<String> rows = Files.readAllLines(out.resolve("proxy-memory.csv"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).startsWith("10,1,idle,");
        assertThat(rows.get(2)).startsWith("10,1,load,");
        assertThat(rows.get(0)).startsWith("services,run,phase,rss_mib,peak_rss_mib,rss_anon_mib,rss_file_mib,");
        String[] load = rows.get(2).split(",");
        double rss = Double.parseDouble(load[3]);
        double anon = Double.parseDouble(load[5]);
        double file = Double.parseDouble(load[6]);
        assertThat(rss).as("RSS MiB").isBetween(10.0, 4096.0);
        assertThat(anon).as("anonymous RSS MiB").isPositive().isLessThanOrEqualTo(rss);
        assertThat(file).as("file-backed RSS MiB").isPositive().isLessThanOrEqualTo(rss);
    }

    /** Runs a script with the given arguments and its results in a new directory, which it returns. */
    private static Path run(String script, List<String> tools, String... args) throws Exception {
        List<String> missing = tools.stream().filter(t -> !onPath(t)).collect(Collectors.toList());
        assumeThat(missing)
                .as("tools " + script + " needs (.ci/run installs them)")
                .isEmpty();
        Path out = Files.createTempDirectory(work, script);
        List<String> command =
                new ArrayList<>(List.of("bash", SCRIPTS.resolve(script).toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-o", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.resolve("script.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("ZONEMESH_CMD", zonemesh.toString());
        env.put("BENCH_JAR", System.getProperty("java.class.path"));
        env.put("UP_JAVA_OPTS", "-Xmx256m");
        env.remove("ZONEMESH_JAVA_OPTS");
        env.remove("PROXY_JAVA_OPTS");
        Process p = pb.start();
        try {
            boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(done)
                    .as(script + " finished within " + TIMEOUT_SECONDS + " s; log:\n" + log(out))
                    .isTrue();
            assertThat(p.exitValue())
                    .as(script + " exit status; log:\n" + log(out))
                    .isZero();
        } finally {
            // The script's EXIT trap stops what it started; a kill here reaches it through TERM.
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return out;
    }

    private static String log(Path out) throws IOException {
        return Files.readString(out.resolve("script.log"));
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Paths.get(dir, tool)));
    }
}

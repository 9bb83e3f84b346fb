package io.zonemesh.cli.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.Main;
import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code zonemesh x explain} against a running {@code zonemesh up} mesh, over its control plane's debug port. */
class ExplainMeshTest {
    @TempDir
    Path stateDir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void explainsTheRunningMeshsPrioritiesByRule() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        try (LocalMesh mesh =
                LocalMesh.start(new ConfigLoader().load(dir).bundle(), RandomSource.seededThreadSafe(1))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            mesh.describe(dir.toString()).write(stateDir);

            Run table = run(
                    "x",
                    "explain",
                    "deployment/sleep-az01.sample",
                    "helloworld.sample:5000",
                    "--state-dir",
                    stateDir.toString());
            assertThat(table.exit()).as(table.err()).isZero();
            assertThat(table.out())
                    .contains("cluster outbound|5000||helloworld.sample.svc.cluster.local as seen by sleep-az01-")
                    .containsPattern("(?m)^PRIORITY +LOCALITY +WEIGHT +ENDPOINT +HEALTH +RULE$")
                    .containsPattern(
                            "(?m)^0 +sg/az01 +1 +127\\.\\d+\\.\\d+\\.\\d+:\\d+ +HEALTHY +default failover: same region,"
                                    + " zone and subzone")
                    .containsPattern(
                            "(?m)^1 +sg/az02 +1 +127\\.\\d+\\.\\d+\\.\\d+:\\d+ +HEALTHY +default failover: same region"
                                    + " sg, other zone");

            // The port is optional when the service has one; JSON carries the same model.
            Run json = run(
                    "x",
                    "explain",
                    "deployment/sleep-az02",
                    "helloworld.sample",
                    "-o",
                    "json",
                    "--state-dir",
                    stateDir.toString());
            assertThat(json.exit()).as(json.err()).isZero();
            JsonNode body = new ObjectMapper().readTree(json.out());
            assertThat(body.path("proxyLocality").asText()).isEqualTo("sg/az02");
            assertThat(body.path("rows").get(0).path("locality").asText()).isEqualTo("sg/az02");

            Run unknown = run(
                    "x", "explain", "deployment/sleep-az01", "nosuch.sample:80", "--state-dir", stateDir.toString());
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("host: nosuch.sample.svc.cluster.local (expected: a service hostname");

            Run noPod = run("x", "explain", "nosuch", "helloworld.sample", "--state-dir", stateDir.toString());
            assertThat(noPod.exit()).isEqualTo(2);
            assertThat(noPod.err()).contains("pod: 'nosuch' names no proxy of the running mesh (expected one of: ");
        }
    }
}

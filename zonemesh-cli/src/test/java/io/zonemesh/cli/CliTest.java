package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.common.Poll;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.MeshConfigBundle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The commands as a user runs them, in-process, against a real local mesh. */
class CliTest {
    @TempDir
    Path tmp;

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
    void aMalformedOrOutOfRangeAddressIsAUsageErrorNamingTheOption() {
        Run port = run("proxy", "--xds", "127.0.0.1:15010", "--pod", "p", "-n", "ns", "--outbound", "127.0.0.1:70000");
        assertThat(port.exit()).isEqualTo(2);
        assertThat(port.err()).contains("--outbound: '127.0.0.1:70000' (expected: host:port, port 0..65535)");

        Run host = run("control-plane", "--xds", "15010");
        assertThat(host.exit()).isEqualTo(2);
        assertThat(host.err()).contains("--xds: '15010' (expected: host:port");
    }

    @Test
    void sendCountsResponsesThroughTheSidecarOfARunningMesh() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        MeshConfigBundle bundle = new ConfigLoader().load(dir).bundle();
        try (LocalMesh mesh = LocalMesh.start(bundle, RandomSource.system())) {
            long version = mesh.registry().state().version();
            Poll.until(
                    () -> mesh.controlPlane().converged(version, 2),
                    Duration.ofSeconds(30),
                    Duration.ofMillis(20),
                    "the mesh to converge");
            mesh.describe(dir.toString()).write(tmp);

            Run r = run(
                    "send",
                    "--from",
                    "sample/sleep-az02",
                    "--url",
                    "http://helloworld.sample:5000/hello",
                    "-n",
                    "20",
                    "--json",
                    "--state-dir",
                    tmp.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertThat(json.get("total").asInt()).isEqualTo(20);
            assertThat(json.get("errors").asInt()).isZero();
            assertThat(json.get("responses").size()).isEqualTo(1);
            assertThat(json.get("responses").fieldNames().next())
                    .startsWith("Hello version: az02, instance: helloworld-az02-");

            Run traffic = run("traffic", "--state-dir", tmp.toString());
            assertThat(traffic.exit()).as(traffic.err()).isZero();
            assertThat(traffic.out())
                    .containsPattern("az02\\s+0\\s+20\\s+0\\.0%")
                    .contains("0 of 20 requests crossed zones");

            Run status = run("proxy-status", "--state-dir", tmp.toString());
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).contains("sleep-az01-").contains("SYNCED").doesNotContain("NACKED");

            Run unknown = run(
                    "send",
                    "--from",
                    "sample/helloworld-az01",
                    "--url",
                    "http://helloworld.sample:5000/",
                    "--state-dir",
                    tmp.toString());
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.err()).contains("has no sidecar").contains("sample/sleep-az01");
        }
    }

    @Test
    void sendEntersTheMeshThroughTheIngressGatewayOfAGateway() throws Exception {
        Path dir = ExampleFiles.extract("canary", List.of("mesh.yaml", "gateway.yaml"));
        MeshConfigBundle bundle = new ConfigLoader().load(dir).bundle();
        try (LocalMesh mesh = LocalMesh.start(bundle, RandomSource.system())) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            mesh.describe(dir.toString()).write(tmp);

            Run r = run(
                    "send",
                    "--gateway",
                    "dev/test-gateway",
                    "--url",
                    "http://istiotest.example.com/",
                    "-H",
                    "user: alice",
                    "-n",
                    "20",
                    "--json",
                    "--state-dir",
                    tmp.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(r.out());
            assertThat(json.get("errors").asInt()).isZero();
            json.get("responses")
                    .fieldNames()
                    .forEachRemaining(line -> assertThat(line).contains("version: v1,"));

            Run missing = run(
                    "send",
                    "--gateway",
                    "dev/nope",
                    "--url",
                    "http://istiotest.example.com/",
                    "--state-dir",
                    tmp.toString());
            assertThat(missing.exit()).isEqualTo(2);
            assertThat(missing.err()).contains("no Gateway dev/nope").contains("dev/test-gateway");
        }
    }

    @Test
    void sendWithoutARunningMeshSaysHowToStartOne() {
        Run r = run(
                "send",
                "--from",
                "sample/sleep-az01",
                "--url",
                "http://helloworld.sample:5000/",
                "--state-dir",
                tmp.toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("no running mesh").contains("zonemesh up");
    }

    @Test
    void analyzeReportsMalformedYamlWithFileAndExitsNonZero() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: x\n");
        Run r = run("analyze", "-f", bad.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).contains("bad.yaml").contains("ZM0100").contains("(document 1)");
    }

    @Test
    void analyzeExplainsWhyFailoverCannotHappenWithoutOutlierDetection() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml", "locality-failover.yaml"));
        Path rule = dir.resolve("locality-failover.yaml");
        String yaml = Files.readString(rule);
        Files.writeString(rule, yaml.substring(0, yaml.indexOf("    outlierDetection:")));

        Run r = run("analyze", "-f", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("ERROR ZM0201")
                .contains("locality-failover.yaml")
                .contains("DestinationRule/sample/helloworld")
                .contains("outlierDetection");

        Files.writeString(rule, yaml);
        Run ok = run("analyze", "-f", dir.toString());
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("no issues found");
    }

    @Test
    void analyzeWarnsWhenNoDestinationRuleKeepsCallsInZone() throws Exception {
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "apps.yaml"));
        Run r = run("analyze", "-f", dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("WARNING ZM0201").contains("Service/sample/helloworld");
        assertThat(run("analyze", "--strict", "-f", dir.toString()).exit()).isEqualTo(3);
    }

    @Test
    void analyzeReportsRoutesTheControlPlaneWouldLeaveOut() throws Exception {
        Path dir = ExampleFiles.extract("canary", List.of("mesh.yaml", "gateway.yaml"));
        Path mesh = dir.resolve("mesh.yaml");
        Files.writeString(mesh, Files.readString(mesh).replace("subset: v3}", "subset: v9}"));
        Run r = run("analyze", "-f", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out())
                .contains("ZM0301")
                .contains("mesh.yaml")
                .contains("VirtualService/dev/istio-test")
                .contains("v9");
    }

    @Test
    void upRefusesInvalidConfigAndStartsNothing() throws Exception {
        Path bad = tmp.resolve("mesh.yaml");
        Files.writeString(bad, "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\nspec: {portz: []}\n");
        Run r = run("up", "-f", bad.toString(), "--state-dir", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("mesh.yaml").contains("portz").contains("nothing started");
        assertThat(tmp.resolve("mesh.json")).doesNotExist();
    }
}

package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.mesh.MeshStateFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code zonemesh up --cluster}'s usage errors, and {@code send}/{@code proxy-status}/{@code traffic}
 * {@code --cluster} against a recorded multi-cluster mesh (the state file {@code up} writes).
 */
class UpClustersCommandTest {
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
    void fileAndClustersTogetherOrNeitherOrAMalformedClusterAreUsageErrors() {
        Run both = run("up", "-f", "examples/multi-az", "--cluster", "cluster1=examples/multicluster/cluster1");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("-f/--filename and --cluster cannot be used together");

        Run neither = run("up", "--state-dir", tmp.toString());
        assertThat(neither.exit()).isEqualTo(2);
        assertThat(neither.err()).contains("no mesh given (expected: -f DIR, or --cluster NAME=DIR for each cluster)");

        Run malformed = run("up", "--cluster", "cluster1", "--state-dir", tmp.toString());
        assertThat(malformed.exit()).isEqualTo(2);
        assertThat(malformed.err()).contains("--cluster: 'cluster1' (expected: NAME=DIR");
    }

    @Test
    void aClusterWithInvalidYamlStartsNothing() throws Exception {
        Path bad = tmp.resolve("c2");
        Files.createDirectories(bad);
        Files.writeString(
                bad.resolve("mesh.yaml"),
                "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: n}\nspec: {portz: []}\n");
        Run r = run("up", "--cluster", "c2=" + bad, "--state-dir", tmp.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("portz").contains("cluster c2: " + bad + " has errors; nothing started");
        assertThat(tmp.resolve("mesh.json")).doesNotExist();
    }

    @Test
    void aPodNameInSeveralClustersNeedsClusterAndAnUnknownClusterIsNamed() throws Exception {
        state().write(tmp);
        Run ambiguous = run(
                "send",
                "--from",
                "sample/helloworld",
                "--url",
                "http://helloworld.sample:5000/",
                "--state-dir",
                tmp.toString());
        assertThat(ambiguous.exit()).isEqualTo(2);
        assertThat(ambiguous.err())
                .contains(
                        "sample/helloworld runs in clusters [cluster1, cluster2] (expected: --cluster with one of them)");

        Run unknown = run(
                "send",
                "--from",
                "sample/helloworld",
                "--cluster",
                "cluster3",
                "--url",
                "http://helloworld.sample:5000/",
                "--state-dir",
                tmp.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err())
                .contains("--cluster: cluster3 (expected one of the running mesh's clusters: [cluster1, cluster2])");

        Run status = run("proxy-status", "--cluster", "cluster3", "--state-dir", tmp.toString());
        assertThat(status.exit()).isEqualTo(2);
        assertThat(status.err()).contains("zonemesh proxy-status: --cluster: cluster3");
        Run traffic = run("traffic", "--cluster", "cluster3", "--state-dir", tmp.toString());
        assertThat(traffic.exit()).isEqualTo(2);
        assertThat(traffic.err()).contains("zonemesh traffic: --cluster: cluster3");

        MeshStateFile read = MeshStateFile.find(tmp).orElseThrow();
        assertThat(read.proxyOf("sample", "helloworld", "cluster2").adminPort()).isEqualTo(3);
        assertThat(read.cluster("cluster2").debugPort()).isEqualTo(22);
    }

    @Test
    void aStateFileWithoutClustersReadsAsOneClusterMesh() throws Exception {
        // What `up -f` wrote before clusters existed: no "clusters", no proxy "cluster".
        Files.writeString(
                tmp.resolve("mesh.json"),
                "{\"pid\":" + ProcessHandle.current().pid()
                        + ",\"configDir\":\"/x\",\"xdsPort\":1,\"debugPort\":2,\"xdsTlsPort\":3,\"apps\":[],\"proxies\":"
                        + "[{\"namespace\":\"sample\",\"pod\":\"p\",\"owner\":\"sleep\",\"locality\":\"\",\"outboundPort\":4,"
                        + "\"inboundPort\":5,\"adminPort\":6,\"gateway\":false}]}");
        Optional<MeshStateFile> read = MeshStateFile.find(tmp);
        assertThat(read).isPresent();
        assertThat(read.get().clusters()).isEmpty();
        assertThat(read.get().proxyOf("sample", "sleep").cluster()).isEmpty();
        assertThat(read.get().clusterProblem("sample", "sleep", null)).isNull();
        assertThat(read.get().clusterProblem("sample", "sleep", "c1"))
                .isEqualTo("--cluster: c1 (expected one of the running mesh's clusters: none, it was started with -f)");
    }

    private static MeshStateFile state() {
        return new MeshStateFile(
                ProcessHandle.current().pid(),
                "/a,/b",
                11,
                12,
                13,
                List.of(proxy("cluster1", 1), proxy("cluster2", 3)),
                List.of(),
                List.of(),
                List.of(
                        new MeshStateFile.Cluster("cluster1", "network1", "/a", 11, 12, 13),
                        new MeshStateFile.Cluster("cluster2", "network2", "/b", 21, 22, 23)));
    }

    private static MeshStateFile.Proxy proxy(String cluster, int admin) {
        return new MeshStateFile.Proxy(
                "sample",
                "helloworld-" + cluster,
                "helloworld",
                "r/z/",
                1,
                -1,
                admin,
                false,
                Map.of(),
                Map.of(),
                Map.of(),
                "",
                cluster);
    }
}

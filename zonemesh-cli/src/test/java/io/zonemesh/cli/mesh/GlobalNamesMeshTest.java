package io.zonemesh.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.demo.ExampleFiles;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.security.ca.CaFiles;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio 1.6's {@code .global} names (examples/multicluster-global) in {@code zonemesh up --cluster}:
 * cluster1's sleep calls {@code httpbin.bar.global:8000}, a ServiceEntry whose endpoint is cluster2's
 * gateway on 15443; the {@code *.global} DestinationRule makes it mutual TLS with SNI
 * {@code outbound_.8000_._.httpbin.bar.global}, which cluster2's AUTO_PASSTHROUGH gateway passes to
 * httpbin's sidecar. With cluster2 signing from another root, the handshake fails: no answer.
 */
class GlobalNamesMeshTest {
    private static final URI URL = URI.create("http://httpbin.bar.global:8000/get");
    private static final List<String> CLUSTER1 = List.of("cluster1/sleep.yaml", "cluster1/httpbin-bar-global.yaml");
    private static final List<String> CLUSTER2 = List.of("cluster2/httpbin.yaml", "cluster2/gateway.yaml");

    @TempDir
    Path tmp;

    @Test
    void sleepInCluster1GetsHttpbinOfCluster2ThroughItsGateway() throws Exception {
        Path dir = extract();
        try (MultiClusterMesh mesh = start(load(dir, CLUSTER1), load(dir, CLUSTER2))) {
            SendResult r = send(mesh, 10);
            assertThat(r.errors()).isZero();
            assertThat(r.responses().keySet()).singleElement().asString().contains("instance: httpbin-");
            assertThat(mesh.cluster("cluster2").podsOf("bar", "httpbin")).isNotEmpty();
        }
    }

    @Test
    void withCluster2SigningFromAnotherRootTheCallGetsNoAnswer() throws Exception {
        Path dir = extract();
        List<Path> cluster2 = paths(dir, CLUSTER2);
        cluster2.add(otherRootCacerts());
        try (MultiClusterMesh mesh = start(load(dir, CLUSTER1), loadPaths(cluster2))) {
            assertThat(mesh.cluster("cluster2").ca().roots())
                    .doesNotContainAnyElementsOf(mesh.cluster("cluster1").ca().roots());
            SendResult r = send(mesh, 3);
            assertThat(r.errors()).isEqualTo(3);
            assertThat(r.responses().keySet()).noneMatch(line -> line.contains("instance: httpbin-"));
        }
    }

    private static MultiClusterMesh start(MeshConfigBundle cluster1, MeshConfigBundle cluster2) throws Exception {
        MultiClusterMesh mesh = MultiClusterMesh.start(
                List.of(
                        new MultiClusterMesh.Member("cluster1", cluster1),
                        new MultiClusterMesh.Member("cluster2", cluster2)),
                RandomSource.seededThreadSafe(3),
                Duration.ofHours(1),
                w -> {});
        try {
            mesh.awaitConverged(Duration.ofSeconds(30));
        } catch (Exception | Error e) {
            mesh.close();
            throw e;
        }
        return mesh;
    }

    private static SendResult send(MultiClusterMesh mesh, int count) {
        ZonemeshProxy sleep = mesh.cluster("cluster1").sidecarOf("foo", "sleep");
        assertThat(sleep).isNotNull();
        return new Sender(new InetSocketAddress("127.0.0.1", sleep.outboundPort()), Duration.ofSeconds(5))
                .send(URL, count, "GET", List.of(), null);
    }

    /** A {@code cacerts} Secret for cluster2 whose intermediate comes from a root of its own. */
    private Path otherRootCacerts() throws Exception {
        Path root = tmp.resolve("other-root");
        Path ca = tmp.resolve("other-cluster2");
        SecureRandom random = new SecureRandom();
        CaFiles.writeRoot(root, Clock.system(), random, 2048);
        CaFiles.writeIntermediate(root, "cluster2", ca, Clock.system(), random, 2048);
        StringBuilder yaml = new StringBuilder(
                "apiVersion: v1\nkind: Secret\nmetadata: {name: cacerts, namespace: istio-system}\nstringData:\n");
        for (String f : List.of("ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem")) {
            yaml.append("  ").append(f).append(": |\n");
            for (String line :
                    Files.readString(ca.resolve(f), StandardCharsets.US_ASCII).split("\n")) {
                yaml.append("    ").append(line).append('\n');
            }
        }
        Path file = tmp.resolve("cacerts.yaml");
        Files.writeString(file, yaml, StandardCharsets.US_ASCII);
        return file;
    }

    private static Path extract() throws Exception {
        List<String> all = new ArrayList<>(CLUSTER1);
        all.addAll(CLUSTER2);
        return ExampleFiles.extract("multicluster-global", all);
    }

    private static List<Path> paths(Path dir, List<String> files) {
        List<Path> out = new ArrayList<>();
        files.forEach(f -> out.add(dir.resolve(f)));
        return out;
    }

    private static MeshConfigBundle load(Path dir, List<String> files) {
        return loadPaths(paths(dir, files));
    }

    private static MeshConfigBundle loadPaths(List<Path> paths) {
        LoadResult r = new ConfigLoader().loadLayers(paths);
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();
        return r.bundle();
    }
}

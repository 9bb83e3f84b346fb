package io.zonemesh.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonemesh.common.Clock;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.registry.EndpointAddressing.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The latency benchmark's path, hermetic: client sidecar → server sidecar → an in-JVM backend. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoProxyPathSmokeTest {
    static final String MESH = """
            apiVersion: v1
            kind: Node
            metadata: {name: bench-node, labels: {topology.kubernetes.io/region: bench, topology.kubernetes.io/zone: az01}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: bench, labels: {istio-injection: enabled}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client-0, namespace: bench, labels: {app: client}}
            spec:
              nodeName: bench-node
              containers: [{name: client, image: bench/sender}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: server-0, namespace: bench, labels: {app: server}}
            spec:
              nodeName: bench-node
              containers: [{name: server, image: nginx, ports: [{containerPort: 8080}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: server, namespace: bench}
            spec:
              selector: {app: server}
              ports: [{port: 80, name: http, targetPort: 8080}]
            """;
    static final String HOST = "server.bench.svc.cluster.local";

    @TempDir
    Path dir;

    @Test
    void sendsThroughBothSidecarsToTheBackend() throws Exception {
        Files.writeString(dir.resolve("mesh.yaml"), MESH);
        try (TestBackend backend = new TestBackend();
                FixedAddressMesh mesh =
                        new FixedAddressMesh(FixedAddressMesh.load(dir), new InetSocketAddress("127.0.0.1", 0))) {
            mesh.application(
                    "bench",
                    "server-0",
                    new HostPort("127.0.0.1", backend.address().getPort()));
            try (ZonemeshProxy server = proxy(mesh, "server-0", true);
                    ZonemeshProxy client = proxy(mesh, "client-0", false)) {
                mesh.endpoint("bench", "server-0", new HostPort("127.0.0.1", server.inboundPort()));
                LoadTarget viaMesh =
                        new LoadTarget("mesh", new InetSocketAddress("127.0.0.1", client.outboundPort()), HOST, "/");
                await().atMost(Duration.ofSeconds(30)).until(() -> server.ready() && client.ready());
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    try (OpenLoopSender probe = OpenLoopSender.connect(
                            viaMesh, 1, Duration.ofSeconds(5), true, Duration.ZERO, Clock.system())) {
                        assertThat(probe.run(20, Duration.ofMillis(50), RequestListener.NONE)
                                        .get()
                                        .ok())
                                .isEqualTo(1);
                    }
                });

                LatencyBench.Report report = new LatencyBench(
                                LatencyBench.Options.parse(
                                        "--target",
                                        "direct=127.0.0.1:" + backend.address().getPort(),
                                        "--target",
                                        "mesh=127.0.0.1:" + client.outboundPort() + ",host=" + HOST,
                                        "--rate",
                                        "100",
                                        "--duration",
                                        "0.3",
                                        "--warmup",
                                        "0.1",
                                        "--runs",
                                        "1",
                                        "--connections",
                                        "2"),
                                Clock.system(),
                                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                        .run();

                assertThat(report.rounds().get(0).results().get("mesh").ok()).isEqualTo(30);
                assertThat(report.summary().get("mesh")).containsKey("added_p50_ms");
            }
        }
    }

    private static ZonemeshProxy proxy(FixedAddressMesh mesh, String pod, boolean inbound) {
        return ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + mesh.xdsPort())
                .node(NodeIdentity.sidecar(pod, "bench", pod))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .inboundAddress(inbound ? new InetSocketAddress("127.0.0.1", 0) : null)
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .ioThreads(1)
                .build()
                .start();
    }
}

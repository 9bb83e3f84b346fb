package io.zonemesh.cli.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transparent capture end to end, in network namespaces the test creates (root only): a bridge
 * in the host namespace (198.18.0.1, where the control plane listens), a client pod in zone az01
 * (198.18.0.11) whose capture rules {@code zonemesh proxy-init} installs and whose proxy runs as
 * UID 1337, and a helloworld pod per zone (198.18.0.21 in az01, .22 in az02) without any proxy.
 * curl, which knows nothing of the proxy, calls {@code helloworld.sample:5000} by the name its
 * namespace's /etc/hosts gives (a virtual IP nobody owns, as a ClusterIP) and gets az01; when
 * az01's pod dies, az02.
 */
class CaptureNetnsTest {
    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: sample, labels: {istio-injection: enabled}}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: ServiceEntry
            metadata: {name: helloworld, namespace: sample}
            spec:
              hosts: [helloworld.sample]
              location: MESH_INTERNAL
              ports: [{number: 5000, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
              - {address: 198.18.0.21, locality: region1/az01}
              - {address: 198.18.0.22, locality: region1/az02}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: helloworld, namespace: sample}
            spec:
              host: helloworld.sample
              trafficPolicy:
                outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 1m}
            """;

    @TempDir
    Path dir;

    private final Map<String, Process> servers = new HashMap<>();
    private NetnsPods pods;
    private ControlPlane controlPlane;

    @BeforeEach
    void requireRootAndTools() throws Exception {
        NetnsPods.assumeRootAndTools();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pods != null) {
            pods.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void curlInAZoneStaysInItsZoneThroughCaptureAndFailsOverWhenTheLocalPodDies() throws Exception {
        pods = new NetnsPods("zm", 0, dir);
        pods.bridge();
        String hosts = "198.18.0.100 helloworld.sample\n";
        String client = pods.pod("c", "198.18.0.11", hosts);
        String az01 = pods.pod("h1", "198.18.0.21", hosts);
        String az02 = pods.pod("h2", "198.18.0.22", hosts);
        for (String zone : List.of("az01", "az02")) {
            servers.put(
                    zone,
                    pods.start(
                            zone.equals("az01") ? az01 : az02,
                            pods.java(NetnsHelloServer.class.getName(), List.of(zone, "5000", "7000")),
                            Map.of(),
                            "listening"));
        }

        LoadResult config = new ConfigLoader().loadString(MESH, "capture-test.yaml");
        assertThat(config.hasErrors()).as("%s", config.diagnostics()).isFalse();
        controlPlane = ControlPlane.builder(MeshRegistry.synthetic(MeshSettings.DEFAULT, config.bundle()))
                .xdsAddress(new InetSocketAddress("198.18.0.1", 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .start();

        // The pod's init container, then its sidecar: UID 1337 with NET_ADMIN (IP_TRANSPARENT).
        Netns.run(Netns.in(
                        client,
                        pods.java(
                                        "io.zonemesh.cli.Main",
                                        List.of("proxy-init", "--mode", "TPROXY", "--proxy-uid", "1337"))
                                .toArray(String[]::new))
                .toArray(String[]::new));
        pods.start(
                client,
                pods.javaAsProxy(
                        "io.zonemesh.cli.Main",
                        List.of(
                                "proxy",
                                "--xds",
                                "198.18.0.1:" + controlPlane.xdsPort(),
                                "--pod",
                                "sleep-az01-0",
                                "-n",
                                "sample",
                                "--owner",
                                "sleep-az01",
                                "--locality",
                                "region1/az01",
                                "--capture",
                                "TPROXY",
                                "--outbound",
                                "0.0.0.0:15001",
                                "--admin",
                                "127.0.0.1:15000")),
                Map.of(),
                "zonemesh proxy");

        awaitAnswer(client, "Hello version: az01");
        for (int i = 0; i < 20; i++) {
            assertThat(NetnsPods.curl(client, "http://helloworld.sample:5000/hello"))
                    .as("call %d", i)
                    .isEqualTo("Hello version: az01");
        }
        // Not an HTTP service port: passed through as TCP to the address curl dialled.
        assertThat(NetnsPods.curl(client, "http://198.18.0.22:7000/")).isEqualTo("Hello version: az02");

        servers.get("az01").destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        awaitAnswer(client, "Hello version: az02");
        for (int i = 0; i < 10; i++) {
            assertThat(NetnsPods.curl(client, "http://helloworld.sample:5000/hello"))
                    .as("call %d after failover", i)
                    .isEqualTo("Hello version: az02");
        }
    }

    /** Waits (bounded) until helloworld answers {@code expected}; fails with the last answer and the logs. */
    private void awaitAnswer(String client, String expected) throws Exception {
        String[] last = {""};
        try {
            await().atMost(NetnsPods.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                last[0] = NetnsPods.curl(client, "http://helloworld.sample:5000/hello");
                return last[0].equals(expected);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "no '" + expected + "' within " + NetnsPods.WAIT + "; last answer: " + last[0] + "\nprocesses:\n"
                            + pods.log() + "\nrules:\n" + NetnsPods.rules(client),
                    e);
        }
    }
}

package io.zonemesh.cli.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String id = Long.toString(ProcessHandle.current().pid() % 100_000);
    private final String bridge = "zmb" + id;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Map<String, Process> servers = new HashMap<>();
    private final ConcurrentLinkedQueue<String> proxyLog = new ConcurrentLinkedQueue<>();
    private ControlPlane controlPlane;

    @TempDir
    Path dir;

    @BeforeEach
    void requireRootAndTools() throws Exception {
        Assumptions.assumeTrue(
                "0".equals(Netns.tryRun("id", "-u").output()),
                "capture test skipped: needs root (network namespaces, iptables); CI runs it as root");
        for (String tool : List.of("ip", "iptables-restore", "setpriv", "curl")) {
            Assumptions.assumeTrue(
                    Netns.tryRun("sh", "-c", "command -v " + tool).exit() == 0,
                    "capture test skipped: '" + tool
                            + "' is missing (apt-get install iproute2 iptables util-linux curl)");
        }
        Assumptions.assumeTrue(Epoll.isAvailable(), "capture test skipped: Netty epoll unavailable (TPROXY needs it)");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        for (String namespace : namespaces) {
            Netns.tryRun("ip", "netns", "del", namespace);
            Netns.tryRun("rm", "-rf", "/etc/netns/" + namespace);
        }
        Netns.tryRun("ip", "link", "del", bridge);
    }

    @Test
    void curlInAZoneStaysInItsZoneThroughCaptureAndFailsOverWhenTheLocalPodDies() throws Exception {
        Netns.run("ip", "link", "add", bridge, "type", "bridge");
        Netns.run("ip", "addr", "add", "198.18.0.1/24", "dev", bridge);
        Netns.run("ip", "link", "set", bridge, "up");
        String client = pod("c", "198.18.0.11");
        String az01 = pod("h1", "198.18.0.21");
        String az02 = pod("h2", "198.18.0.22");
        servers.put(
                "az01",
                start(
                        az01,
                        List.of(
                                java(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                NetnsHelloServer.class.getName(),
                                "az01",
                                "5000",
                                "7000"),
                        "listening"));
        servers.put(
                "az02",
                start(
                        az02,
                        List.of(
                                java(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                NetnsHelloServer.class.getName(),
                                "az02",
                                "5000",
                                "7000"),
                        "listening"));

        LoadResult config = new ConfigLoader().loadString(MESH, "capture-test.yaml");
        assertThat(config.hasErrors()).as("%s", config.diagnostics()).isFalse();
        controlPlane = ControlPlane.builder(MeshRegistry.synthetic(MeshSettings.DEFAULT, config.bundle()))
                .xdsAddress(new InetSocketAddress("198.18.0.1", 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .start();

        // The pod's init container, then its sidecar: UID 1337 with NET_ADMIN (IP_TRANSPARENT).
        Netns.run(Netns.in(
                        client,
                        java(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.zonemesh.cli.Main",
                        "proxy-init",
                        "--mode",
                        "TPROXY",
                        "--proxy-uid",
                        "1337")
                .toArray(String[]::new));
        start(
                client,
                List.of(
                        "setpriv",
                        "--reuid=1337",
                        "--regid=1337",
                        "--clear-groups",
                        "--inh-caps=+net_admin",
                        "--ambient-caps=+net_admin",
                        java(),
                        "-Dio.netty.eventLoopThreads=2",
                        "-cp",
                        readableClassPath(),
                        "io.zonemesh.cli.Main",
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
                        "127.0.0.1:15000"),
                "zonemesh proxy");

        awaitAnswer(client, "Hello version: az01");
        for (int i = 0; i < 20; i++) {
            assertThat(curl(client, "http://helloworld.sample:5000/hello"))
                    .as("call %d", i)
                    .isEqualTo("Hello version: az01");
        }
        // Not an HTTP service port: passed through as TCP to the address curl dialled.
        assertThat(curl(client, "http://198.18.0.22:7000/")).isEqualTo("Hello version: az02");

        servers.get("az01").destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        awaitAnswer(client, "Hello version: az02");
        for (int i = 0; i < 10; i++) {
            assertThat(curl(client, "http://helloworld.sample:5000/hello"))
                    .as("call %d after failover", i)
                    .isEqualTo("Hello version: az02");
        }
    }

    /** Waits (bounded) until helloworld answers {@code expected}; fails with the last answer and the logs. */
    private void awaitAnswer(String client, String expected) throws Exception {
        String[] last = {""};
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                last[0] = curl(client, "http://helloworld.sample:5000/hello");
                return last[0].equals(expected);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "no '" + expected + "' within " + WAIT + "; last answer: " + last[0]
                            + "\nprocesses:\n" + String.join("\n", proxyLog) + "\nrules:\n"
                            + Netns.tryRun(Netns.in(client, "iptables-save", "-c")
                                            .toArray(String[]::new))
                                    .output(),
                    e);
        }
    }

    /** A namespace on the bridge with one address; its /etc/hosts names helloworld.sample. */
    private String pod(String name, String address) throws Exception {
        String namespace = "zm" + id + "-" + name;
        String host = "zv" + id + name;
        Netns.run("ip", "netns", "add", namespace);
        namespaces.add(namespace);
        Path etc = Path.of("/etc/netns", namespace);
        Files.createDirectories(etc);
        Files.writeString(
                etc.resolve("hosts"), "127.0.0.1 localhost\n198.18.0.100 helloworld.sample\n", StandardCharsets.UTF_8);
        Netns.run("ip", "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        Netns.run("ip", "link", "set", host, "master", bridge, "up");
        Netns.run(Netns.in(namespace, "ip", "link", "set", "lo", "up").toArray(String[]::new));
        Netns.run(Netns.in(namespace, "ip", "addr", "add", address + "/24", "dev", "eth0")
                .toArray(String[]::new));
        Netns.run(Netns.in(namespace, "ip", "link", "set", "eth0", "up").toArray(String[]::new));
        return namespace;
    }

    /** Starts a process in a namespace and waits (bounded) for a line of its output. */
    private Process start(String namespace, List<String> command, String readyLine) throws Exception {
        Process process = new ProcessBuilder(Netns.in(namespace, command.toArray(String[]::new)))
                .redirectErrorStream(true)
                .start();
        processes.add(process);
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            proxyLog.add(namespace + ": " + line);
                        }
                    } catch (IOException e) {
                        proxyLog.add(namespace + ": output closed: " + e);
                    }
                },
                "netns-output-" + namespace);
        reader.setDaemon(true);
        reader.start();
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .failFast("process exited: " + proxyLog, () -> !process.isAlive())
                .until(() -> proxyLog.stream().anyMatch(l -> l.startsWith(namespace + ": " + readyLine)));
        return process;
    }

    /** curl as a UID that is not the proxy's, so that its connections are captured. */
    private String curl(String namespace, String url) throws Exception {
        return Netns.tryRun(Netns.in(
                                namespace,
                                "setpriv",
                                "--reuid=1000",
                                "--regid=1000",
                                "--clear-groups",
                                "curl",
                                "-sS",
                                "--max-time",
                                "5",
                                url)
                        .toArray(String[]::new))
                .output();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The test class path as UID 1337 can read it: jars under a directory it cannot enter
     * (~/.m2 in /root) are hard-linked (or copied) into a world-readable temporary directory.
     */
    private String readableClassPath() throws IOException {
        Path jars = Files.createDirectories(dir.resolve("cp"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path) || !entry.startsWith(System.getProperty("user.home"))) {
                entries.add(entry);
                continue;
            }
            Path link = jars.resolve(n++ + "-" + path.getFileName());
            try {
                Files.createLink(link, path);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(path, link);
            }
            Files.setPosixFilePermissions(link, PosixFilePermissions.fromString("rw-r--r--"));
            entries.add(link.toString());
        }
        return String.join(File.pathSeparator, entries);
    }
}

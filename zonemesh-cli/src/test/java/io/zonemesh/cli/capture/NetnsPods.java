package io.zonemesh.cli.capture;

import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Pods as network namespaces for the capture tests (root only): a bridge in the host namespace
 * at {@code 198.18.<subnet>.1}, one namespace per pod on it with one address and its own
 * /etc/hosts, and the processes started in them; {@link #close()} removes all of it. Each test
 * class takes its own subnet, so that two of them never share an address.
 */
final class NetnsPods implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final String id = Long.toString(ProcessHandle.current().pid() % 100_000);
    private final String prefix;
    private final String bridge;
    private final int subnet;
    private final Path dir;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    /**
     * @param prefix two letters naming the test's interfaces and namespaces
     * @param dir a temporary directory (the class path UID 1337 can read goes there)
     */
    NetnsPods(String prefix, int subnet, Path dir) {
        this.prefix = prefix;
        this.bridge = prefix + "b" + id;
        this.subnet = subnet;
        this.dir = dir;
    }

    /** Skips the test, saying why, unless it runs as root with the tools and epoll. */
    static void assumeRootAndTools() throws Exception {
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

    /** {@code 198.18.<subnet>.<host>}. */
    String address(int host) {
        return "198.18." + subnet + "." + host;
    }

    /** Creates the bridge, the host namespace's side (where the control plane listens). */
    void bridge() throws Exception {
        Netns.run("ip", "link", "add", bridge, "type", "bridge");
        Netns.run("ip", "addr", "add", address(1) + "/24", "dev", bridge);
        Netns.run("ip", "link", "set", bridge, "up");
    }

    /** A namespace on the bridge with one address; {@code hosts} is appended to its /etc/hosts. */
    String pod(String name, String address, String hosts) throws Exception {
        String namespace = prefix + id + "-" + name;
        String host = prefix + "v" + id + name;
        Netns.run("ip", "netns", "add", namespace);
        namespaces.add(namespace);
        Path etc = Path.of("/etc/netns", namespace);
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n" + hosts, StandardCharsets.UTF_8);
        Netns.run("ip", "link", "add", host, "type", "veth", "peer", "name", "eth0", "netns", namespace);
        Netns.run("ip", "link", "set", host, "master", bridge, "up");
        Netns.run(Netns.in(namespace, "ip", "link", "set", "lo", "up").toArray(String[]::new));
        Netns.run(Netns.in(namespace, "ip", "addr", "add", address + "/24", "dev", "eth0")
                .toArray(String[]::new));
        Netns.run(Netns.in(namespace, "ip", "link", "set", "eth0", "up").toArray(String[]::new));
        return namespace;
    }

    /** Starts a process in a namespace and waits (bounded) for a line of its output that starts with {@code readyLine}. */
    Process start(String namespace, List<String> command, Map<String, String> env, String readyLine) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(Netns.in(namespace, command.toArray(String[]::new))).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(
                () -> {
                    try {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            log.add(namespace + ": " + line);
                        }
                    } catch (IOException e) {
                        log.add(namespace + ": output closed: " + e);
                    }
                },
                "netns-output-" + namespace);
        reader.setDaemon(true);
        reader.start();
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .failFast("process exited: " + log, () -> !process.isAlive())
                .until(() -> log.stream().anyMatch(l -> l.startsWith(namespace + ": " + readyLine)));
        return process;
    }

    /** The output of every process so far, for failure messages. */
    String log() {
        return String.join("\n", log);
    }

    /** The namespace's iptables state with counters, for failure messages. */
    static String rules(String namespace) throws Exception {
        return Netns.tryRun(Netns.in(namespace, "iptables-save", "-c").toArray(String[]::new))
                .output();
    }

    /** curl's body (or its error) as a UID that is not the proxy's, so that its connections are captured. */
    static String curl(String namespace, String url) throws Exception {
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

    /** curl from the host namespace (the node, where the kubelet's probes come from): the body, then {@code |} and the status. */
    static Netns.Result curlFromHost(String url) throws Exception {
        return Netns.tryRun("curl", "-sS", "--max-time", "5", "-w", "|%{http_code}", url);
    }

    /** {@code java -cp <test class path> <main> <args>}, the class path readable by UID 1337. */
    List<String> java(String main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.eventLoopThreads=2",
                "-cp",
                readableClassPath(),
                main));
        command.addAll(args);
        return command;
    }

    /** The same, as the proxy's UID and GID 1337 with NET_ADMIN (IP_TRANSPARENT), as the injected container. */
    List<String> javaAsProxy(String main, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                "setpriv",
                "--reuid=1337",
                "--regid=1337",
                "--clear-groups",
                "--inh-caps=+net_admin",
                "--ambient-caps=+net_admin"));
        command.addAll(java(main, args));
        return command;
    }

    /**
     * The test class path as UID 1337 can read it: jars under a directory it cannot enter
     * (~/.m2 in /root) are hard-linked (or copied) into a world-readable temporary directory.
     */
    private String readableClassPath() throws IOException {
        Path jars = dir.resolve("cp");
        if (Files.isDirectory(jars)) {
            return Files.readString(dir.resolve("cp.txt"), StandardCharsets.UTF_8);
        }
        Files.createDirectories(jars);
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
        String classPath = String.join(File.pathSeparator, entries);
        Files.writeString(dir.resolve("cp.txt"), classPath, StandardCharsets.UTF_8);
        return classPath;
    }

    /** Stops the processes, then removes the namespaces and the bridge (best effort, bounded). */
    @Override
    public void close() throws Exception {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (String namespace : namespaces) {
            Netns.tryRun("ip", "netns", "del", namespace);
            Netns.tryRun("rm", "-rf", "/etc/netns/" + namespace);
        }
        Netns.tryRun("ip", "link", "del", bridge);
    }
}

package io.zonemesh.cli.proxyconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonemesh.cli.Main;
import io.zonemesh.cli.echo.EchoServer;
import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.identity.WorkloadSecret;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.WorkloadCertificate;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code zonemesh proxy-config} against a running examples/multi-az mesh (locality failover with
 * outlier detection) over real sockets, through the mesh state file as after {@code zonemesh up}.
 * Tables are compared with golden files (run with {@code -Dzonemesh.golden.update=true} to
 * rewrite them, then review the diff); endpoint ports are ephemeral, so endpoint tables name
 * each endpoint by its pod before the comparison (and lose their column widths and row order).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyConfigMeshTest {
    private static final String NAMESPACE = "sample";
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final boolean UPDATE = Boolean.getBoolean("zonemesh.golden.update");

    @TempDir
    static Path stateDir;

    private static LocalMesh mesh;
    private static MeshStateFile state;

    @BeforeAll
    static void startMesh() throws Exception {
        LoadResult loaded = new ConfigLoader().load(examples().resolve("multi-az"));
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        mesh = LocalMesh.start(loaded.bundle(), RandomSource.seededThreadSafe(7));
        mesh.awaitConverged(Duration.ofSeconds(30));
        state = mesh.describe("examples/multi-az");
        state.write(stateDir);
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    @Order(1)
    void clusterTablesWithIstioctlsColumnsAndFilters() throws Exception {
        String pod = pod("sleep-az01");
        golden("clusters.txt", ok(run("clusters", pod)));
        golden("clusters-fqdn-port.txt", ok(run("clusters", pod, "--fqdn", "helloworld", "--port", "5000")));
        golden("clusters-direction.txt", ok(run("cluster", pod, "--direction", "inbound")));
        golden("clusters-subset.txt", ok(run("c", pod, "--subset", "no-such-subset")));
    }

    @Test
    @Order(1)
    void listenerTablesVerboseShortAndFiltered() throws Exception {
        String pod = pod("sleep-az01");
        golden("listeners.txt", ok(run("listeners", pod)));
        golden("listeners-short.txt", ok(run("listeners", pod, "--verbose=false")));
        golden("listeners-type-port.txt", ok(run("listeners", pod, "--type", "http", "--port", "15006")));
        golden("listeners-address.txt", ok(run("l", pod, "--address", "0.0.0.0", "--verbose=false")));
    }

    @Test
    @Order(1)
    void routeTablesVerboseShortAndByName() throws Exception {
        String pod = pod("sleep-az01");
        golden("routes.txt", ok(run("routes", pod)));
        golden("routes-short.txt", ok(run("routes", pod, "--verbose=false")));
        golden("routes-name.txt", ok(run("r", pod, "--name", "no-such-route")));
    }

    @Test
    @Order(1)
    void endpointTablesAndFilters() throws Exception {
        String pod = pod("sleep-az01");
        golden("endpoints.txt", byPodSorted(ok(run("endpoints", pod))));
        golden("endpoints-wide.txt", byPodSorted(ok(run("endpoints", pod, "-o", "wide"))));
        golden(
                "endpoints-cluster.txt",
                byPodSorted(ok(run("ep", pod, "--cluster", HELLO.toUpperCase(java.util.Locale.ROOT)))));
        golden("endpoints-status.txt", byPodSorted(ok(run("endpoints", pod, "--status", "unhealthy"))));
        int port = mesh.appsOf(NAMESPACE, "helloworld-az02").get(0).port();
        String az02 = byPod(ok(run("endpoints", pod, "--address", "127.0.0.1", "--port", Integer.toString(port))));
        golden("endpoints-address-port.txt", az02);
    }

    @Test
    @Order(1)
    void allPrintsEveryTableAndJsonIsTheDump() throws Exception {
        String pod = pod("sleep-az02");
        golden("all.txt", byPod(ok(run("all", pod))));
        String json = ok(run("all", pod, "-o", "json"));
        assertThat(json).contains("\"dynamic_endpoint_configs\"").contains("\"dynamic_active_clusters\"");
        String yaml = ok(run("all", pod, "-o", "yaml"));
        assertThat(yaml).contains("dynamic_listeners:").doesNotStartWith("---");
    }

    @Test
    @Order(1)
    void jsonAndYamlAreTheSelectedResources() throws Exception {
        String pod = pod("sleep-az01");
        String clusters = ok(run("clusters", pod, "--fqdn", "helloworld", "-o", "json"));
        assertThat(clusters).startsWith("[\n    {\n        \"name\": \"" + HELLO + "\"");
        assertThat(ok(run("listeners", pod, "--port", "15001", "-o", "yaml"))).startsWith("- name: virtualOutbound\n");
        String endpoints = ok(run("endpoints", pod, "--cluster", HELLO, "-o", "json"));
        assertThat(endpoints).contains("\"eds_health_status\": \"HEALTHY\"").contains("\"name\": \"" + HELLO + "\"");
    }

    @Test
    @Order(1)
    void readsAnyProxyByItsAdminAddress() throws Exception {
        String viaPod = ok(run("endpoints", pod("sleep-az01")));
        String viaAdmin = ok(
                run("endpoints", "--admin", "127.0.0.1:" + sidecar("sleep-az01").adminPort()));
        assertThat(viaAdmin).isEqualTo(viaPod);
    }

    @Test
    @Order(1)
    void unknownPodsAndBadOptionsFailWithPreciseErrors() {
        Result unknown = run("clusters", "nosuchpod.sample");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err())
                .contains("pod: 'nosuchpod.sample' names no proxy of the running mesh (expected one of: ")
                .contains(pod("sleep-az01"))
                .contains(pod("sleep-az02"));
        Result format = run("clusters", pod("sleep-az01"), "-o", "xml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("output format \"xml\" not supported (expected: short, wide, json or yaml)");
        Result both = run("endpoints", pod("sleep-az01"), "--admin", "127.0.0.1:1");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("give a pod or --admin HOST:PORT (expected: exactly one of them)");
    }

    @Test
    @Order(1)
    void secretShowsTheWorkloadCertificateAndRootsOfCerts() throws Exception {
        String pod = pod("sleep-az02");
        // zonemesh up's sidecars hold a certificate from the mesh's CA (issue 11) from the start.
        assertThat(ok(run("secret", pod)))
                .containsPattern("\ndefault +Cert Chain +ACTIVE +true +[0-9a-f]+ +")
                .containsPattern("\nROOTCA +CA +ACTIVE +true +[0-9a-f]+ +");
        SecureRandom random = new SecureRandom();
        CertificateAuthority ca = CertificateAuthority.selfSigned("cluster.local", Clock.system(), random);
        WorkloadCertificate cert = ca.issueServing(
                KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random),
                List.of("sleep.sample"),
                List.of(),
                Duration.ofHours(1));
        Objects.requireNonNull(mesh.sidecarOf(NAMESPACE, "sleep-az02"))
                .workloadSecrets()
                .update(WorkloadSecret.from(cert));

        String table = ok(run("secrets", pod));

        String leaf = cert.chain().get(0).getSerialNumber().toString(16);
        String root = cert.roots().get(0).getSerialNumber().toString(16);
        assertThat(table.lines().toList()).hasSize(3);
        assertThat(table)
                .startsWith("RESOURCE NAME     TYPE           STATUS     VALID CERT     SERIAL NUMBER")
                .containsPattern("\ndefault +Cert Chain +ACTIVE +true +" + leaf
                        + " +\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ +")
                .containsPattern("\nROOTCA +CA +ACTIVE +true +" + root + " +");
        assertThat(ok(run("s", pod, "-o", "json"))).contains("\"cert_chain\"").contains("\"ca_cert\"");
    }

    @Test
    @Order(2)
    void anEjectedEndpointShowsOutlierCheckFailedAndItsPriority() throws Exception {
        // examples/multi-az: consecutive5xxErrors 1, interval 1s; a stopped app refuses connections.
        mesh.appsOf(NAMESPACE, "helloworld-az01").forEach(EchoServer::stop);
        ZonemeshProxy sleep = Objects.requireNonNull(mesh.sidecarOf(NAMESPACE, "sleep-az01"));
        Sender sender = new Sender(new InetSocketAddress("127.0.0.1", sleep.outboundPort()), Duration.ofSeconds(5));
        String az01 =
                "127.0.0.1:" + mesh.appsOf(NAMESPACE, "helloworld-az01").get(0).port();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    sender.send(URI.create("http://helloworld.sample:5000/hello"), 2, "GET", List.of(), null);
                    assertThat(ok(run("endpoints", pod("sleep-az01"), "--cluster", HELLO)))
                            .containsPattern("\\Q" + az01 + "\\E +HEALTHY +FAILED +\\Q" + HELLO + "\\E\n");
                });
        String wide = ok(run("endpoints", pod("sleep-az01"), "--cluster", HELLO, "-o", "wide"));
        golden("endpoints-ejected-wide.txt", byPodSorted(wide));
    }

    private static MeshStateFile.Proxy sidecar(String owner) {
        return Objects.requireNonNull(state.proxyOf(NAMESPACE, owner), owner);
    }

    private static String pod(String owner) {
        return sidecar(owner).pod() + "." + NAMESPACE;
    }

    private static String ok(Result result) {
        assertThat(result.exit()).as("exit of proxy-config: %s", result.err()).isZero();
        return result.out();
    }

    /**
     * Names each {@code 127.0.0.1:<port>} by what listens there ({@code <pod>:app},
     * {@code <pod>:inbound}), then writes cells apart by one tab: the column widths depend on
     * the ports, the cells do not.
     */
    private static String byPod(String table) {
        java.util.Map<Integer, String> names = new java.util.HashMap<>();
        state.apps().forEach(a -> names.put(a.port(), "<" + a.pod() + ":app>"));
        state.proxies().forEach(p -> names.put(p.inboundPort(), "<" + p.pod() + ":inbound>"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(table);
        StringBuilder named = new StringBuilder();
        while (m.find()) {
            String name = names.get(Integer.parseInt(m.group(1)));
            m.appendReplacement(named, java.util.regex.Matcher.quoteReplacement(name != null ? name : m.group()));
        }
        m.appendTail(named);
        return named.toString().replaceAll(" {2,}", "\t").replaceAll("[ \t]+\n", "\n");
    }

    /**
     * {@link #byPod} with the rows after the header sorted: istioctl orders endpoints by address
     * and port, which are ephemeral here (EndpointSummaryTest checks that order).
     */
    private static String byPodSorted(String table) {
        List<String> lines = new ArrayList<>(List.of(byPod(table).split("\n")));
        List<String> rows = new ArrayList<>(lines.subList(1, lines.size()));
        rows.sort(null);
        return lines.get(0) + "\n" + rows.stream().map(r -> r + "\n").collect(java.util.stream.Collectors.joining());
    }

    private static void golden(String file, String actual) throws IOException {
        Path path = Path.of("src", "test", "resources", "proxyconfig", file);
        if (UPDATE) {
            Files.createDirectories(path.getParent());
            Files.writeString(path, actual);
        }
        assertThat(path)
                .as("golden file %s (write it with -Dzonemesh.golden.update=true)", path)
                .exists();
        assertThat(actual).as("golden %s", file).isEqualTo(Files.readString(path));
    }

    record Result(int exit, String out, String err) {}

    /** Runs the command line as {@code Main.run} does (its handler: "zonemesh: <message>", exit 1). */
    static Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("proxy-config"));
        all.addAll(List.of(args));
        all.addAll(List.of("--state-dir", stateDir.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("zonemesh: " + ex.getMessage());
            return 1;
        });
        int exit = cl.execute(all.toArray(String[]::new));
        cl.getOut().flush();
        cl.getErr().flush();
        return new Result(exit, out.toString(), err.toString());
    }

    private static Path examples() {
        for (Path candidate : List.of(Path.of("..", "examples"), Path.of("src", "main", "resources", "examples"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "no examples directory from " + Path.of("").toAbsolutePath());
    }
}

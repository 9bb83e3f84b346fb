package io.zonemesh.cli.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonemesh.common.Clock;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.controlplane.ca.CaHolder;
import io.zonemesh.kube.inject.InjectionConfig;
import io.zonemesh.kube.inject.SidecarInjector;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.BootstrapTokens;
import io.zonemesh.security.ca.CertificateAuthority;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inbound capture end to end, in network namespaces (root only): the helloworld pod has a sidecar
 * this time, and both pods run exactly what the injector puts into them — the init container's
 * {@code zonemesh proxy-init} arguments, then the sidecar's {@code zonemesh proxy} arguments with
 * Kubernetes' {@code $(VAR)} expansion done here. A call reaches the application through the
 * server's sidecar (the application sees it come from loopback, not from the caller), from a
 * meshed client and from the node alike, while the proxy's own ports (status 15021, Istio's
 * 15020 and 15090) are not captured: the node's readiness probe gets the sidecar's answer, and the
 * application's own probe, which the injector rewrote to 15020, is run by the sidecar.
 */
class InboundCaptureNetnsTest {
    private static final String MESH = """
            apiVersion: v1
            kind: Node
            metadata:
              name: node-az01
              labels: {topology.kubernetes.io/region: region1, topology.kubernetes.io/zone: az01}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: sample, labels: {istio-injection: enabled}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: helloworld, namespace: sample}
            spec:
              selector: {app: helloworld}
              ports: [{port: 5000, name: http}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: helloworld-0
              namespace: sample
              labels: {app: helloworld, security.istio.io/tlsMode: istio}
            spec:
              nodeName: node-az01
              containers: [{name: helloworld, image: helloworld, ports: [{containerPort: 5000}]}]
            status: {podIP: 198.18.1.21}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: sleep-0
              namespace: sample
              labels: {app: sleep, security.istio.io/tlsMode: istio}
            spec:
              nodeName: node-az01
              containers: [{name: sleep, image: curl}]
            status: {podIP: 198.18.1.11}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The control plane Service's name, resolved by each pod's hosts file. */
    private static final String CONTROL_PLANE_HOST = "zonemesh-control-plane.zonemesh-system.svc";

    private static final SecureRandom RANDOM = new SecureRandom();

    private NetnsPods pods;
    private ControlPlane controlPlane;
    private BootstrapTokens tokens;
    private String rootPem = "";

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
    void callsReachTheAppThroughTheServersSidecarAndTheProxysOwnPortsAreNotCaptured() throws Exception {
        pods = new NetnsPods("zi", 1, dir);
        pods.bridge();
        String hosts = "198.18.1.100 helloworld.sample\n" + pods.address(1) + " " + CONTROL_PLANE_HOST + "\n";
        String client = pods.pod("c", pods.address(11), hosts);
        String server = pods.pod("s", pods.address(21), hosts);
        pods.start(
                server,
                pods.java(NetnsHelloServer.class.getName(), List.of("az01", "5000", "9090")),
                Map.of(),
                "listening");

        LoadResult config = new ConfigLoader().loadString(MESH, "inbound-capture-test.yaml");
        assertThat(config.hasErrors()).as("%s", config.diagnostics()).isFalse();
        // The CA on the control plane's TLS port; the pods' tokens stand in for the projected
        // service-account tokens that TokenReview would check in a cluster.
        CertificateAuthority ca = CertificateAuthority.selfSigned("cluster.local", Clock.system(), RANDOM);
        tokens = new BootstrapTokens(RANDOM);
        controlPlane = ControlPlane.builder(MeshRegistry.synthetic(MeshSettings.DEFAULT, config.bundle()))
                .xdsAddress(new InetSocketAddress(pods.address(1), 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .tls(new InetSocketAddress(pods.address(1), 0), new CaHolder(ca), tokens)
                .start();
        rootPem = Pem.encode(ca.roots());
        SidecarInjector injector = new SidecarInjector(
                InjectionConfig.defaults().withControlPlane(CONTROL_PLANE_HOST + ":" + controlPlane.xdsPort()));
        meshed(
                injector,
                server,
                "helloworld-0",
                pods.address(21),
                "traffic.sidecar.istio.io/excludeInboundPorts",
                "9090");
        meshed(injector, client, "sleep-0", pods.address(11), "sidecar.istio.io/interceptionMode", "TPROXY");

        // The node's probe: 15021 is excluded from capture, so the sidecar's status port answers.
        awaitTrue(
                () -> NetnsPods.curlFromHost("http://198.18.1.21:15021/healthz/ready")
                        .output(),
                "LIVE\n|200"::equals,
                server);

        // A meshed client by the Service's name: its sidecar, then the server's, then the app.
        awaitTrue(() -> peer(client), "127.0.0.1"::equals, server);
        for (int i = 0; i < 10; i++) {
            assertThat(NetnsPods.curl(client, "http://helloworld.sample:5000/hello"))
                    .as("call %d", i)
                    .isEqualTo("Hello version: az01");
            assertThat(peer(client)).as("peer of call %d", i).isEqualTo("127.0.0.1");
        }
        // Both sidecars hold a workload certificate from the CA, reached through the injected flags,
        // so the meshed calls above went over auto mutual TLS (both pods are labelled tlsMode istio).
        assertThat(NetnsPods.curl(server, "http://127.0.0.1:15000/certs"))
                .contains("spiffe://cluster.local/ns/sample/sa/default");
        // The node, without a sidecar of its own, to the pod IP: captured inbound all the same.
        assertThat(NetnsPods.curlFromHost("http://198.18.1.21:5000/peer").output())
                .isEqualTo("127.0.0.1|200");
        // A port the pod's annotation excludes reaches the app directly, and its answers get out.
        assertThat(NetnsPods.curlFromHost("http://198.18.1.21:9090/peer").output())
                .isEqualTo(pods.address(1) + "|200");
        // The app's own readiness probe, rewritten by the injector to the sidecar's 15020 (not
        // captured either), which probes the app from inside the pod.
        assertThat(NetnsPods.curlFromHost("http://198.18.1.21:15020/app-health/app/readyz")
                        .output())
                .isEqualTo("200 from /app-health/app/readyz\n|200");
        // Istio's Prometheus port reaches the pod as it is (not captured to the app through the
        // inbound listener): the sidecar's stats listener answers it, as Envoy's 15090 does. (Its
        // /stats/prometheus page is larger than this helper reads; StatsPortTest covers the page.)
        Netns.Result stats = NetnsPods.curlFromHost("http://198.18.1.21:15090/");
        assertThat(stats.output()).isEqualTo("not found: / (the status port serves /stats/prometheus)\n|404");
        assertThat(NetnsPods.rules(server)).contains("-A ISTIO_INBOUND -p tcp -m tcp --dport 15021 -j RETURN");
    }

    /** Runs the injector's init container, then its sidecar, for a pod with one annotation. */
    private void meshed(
            SidecarInjector injector, String namespace, String podName, String podIp, String annotation, String value)
            throws Exception {
        ObjectNode pod = JSON.createObjectNode();
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", podName);
        metadata.putObject("annotations").put(annotation, value);
        ObjectNode app =
                pod.putObject("spec").putArray("containers").addObject().put("name", "app");
        app.putObject("readinessProbe")
                .putObject("httpGet")
                .put("path", "/hello")
                .put("port", 5000);
        assertThat(injector.inject(pod, "sample")).isTrue();
        JsonNode init = pod.at("/spec/initContainers/0");
        JsonNode proxy = pod.at("/spec/containers/1");
        assertThat(proxy.get("name").asText()).isEqualTo("zonemesh-proxy");
        Netns.run(Netns.in(
                        namespace,
                        pods.java("io.zonemesh.cli.Main", args(init, podName, podIp))
                                .toArray(String[]::new))
                .toArray(String[]::new));
        pods.start(
                namespace,
                pods.javaAsProxy("io.zonemesh.cli.Main", kubelet(podName, args(proxy, podName, podIp))),
                env(proxy, podIp),
                "zonemesh proxy");
    }

    /**
     * What the kubelet and the Service add to the injected args: the volumes the sidecar mounts
     * (the istio-ca-root-cert ConfigMap and the projected token, here files UID 1337 can read) and
     * the control plane Service's port 15012 mapped to the port its TLS server bound.
     */
    private List<String> kubelet(String podName, List<String> args) throws Exception {
        Path volumes = Files.createDirectories(dir.resolve("volumes-" + podName));
        Files.setPosixFilePermissions(volumes, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = Files.writeString(volumes.resolve("root-cert.pem"), rootPem, StandardCharsets.US_ASCII);
        Path token = Files.writeString(
                volumes.resolve("istio-token"),
                tokens.issue(new SpiffeId("cluster.local", "sample", "default")),
                StandardCharsets.US_ASCII);
        for (Path f : List.of(root, token)) {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> out = new ArrayList<>();
        for (String a : args) {
            out.add(
                    switch (a) {
                        case "/var/run/secrets/istio/root-cert.pem" -> root.toString();
                        case "/var/run/secrets/tokens/istio-token" -> token.toString();
                        case CONTROL_PLANE_HOST + ":15012" -> CONTROL_PLANE_HOST + ":" + controlPlane.xdsTlsPort();
                        default -> a;
                    });
        }
        assertThat(out).as("the injected CA flags").contains(root.toString(), token.toString());
        return out;
    }

    /** A container's args with the downward API's values, as the kubelet expands {@code $(VAR)}. */
    private static List<String> args(JsonNode container, String podName, String podIp) {
        List<String> out = new ArrayList<>();
        container
                .get("args")
                .forEach(a -> out.add(a.asText()
                        .replace("$(POD_NAME)", podName)
                        .replace("$(POD_NAMESPACE)", "sample")
                        .replace("$(INSTANCE_IP)", podIp)));
        return out;
    }

    /** A container's environment: its values, and the downward API's pod IP. */
    private static Map<String, String> env(JsonNode container, String podIp) {
        Map<String, String> out = new java.util.HashMap<>();
        for (JsonNode var : container.get("env")) {
            if (var.has("value")) {
                out.put(var.get("name").asText(), var.get("value").asText());
            }
        }
        out.put("INSTANCE_IP", podIp);
        return out;
    }

    private static String peer(String client) throws Exception {
        return NetnsPods.curl(client, "http://helloworld.sample:5000/peer");
    }

    /** Waits (bounded) until {@code value} satisfies {@code done}; fails with the last value, the logs and the rules. */
    private void awaitTrue(Callable value, java.util.function.Predicate<String> done, String namespace)
            throws Exception {
        String[] last = {""};
        try {
            await().atMost(NetnsPods.WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                last[0] = value.call();
                return done.test(last[0]);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    "not there within " + NetnsPods.WAIT + "; last: " + last[0] + "\nprocesses:\n" + pods.log()
                            + "\nrules of " + namespace + ":\n" + NetnsPods.rules(namespace),
                    e);
        }
    }

    @FunctionalInterface
    private interface Callable {
        String call() throws Exception;
    }
}

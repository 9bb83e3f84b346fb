package io.zonemesh.e2e;

import static org.awaitility.Awaitility.await;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.registry.MeshRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A zonemesh control plane on 127.0.0.1 (ports 0) serving one mesh in namespace {@value #NAMESPACE}
 * whose only service is the echo ServiceEntry {@value #HOST}:{@value #PORT}, with the test's echo
 * backends as its endpoints. The mesh can be replaced while clients are connected.
 */
final class InteropMesh implements AutoCloseable {
    static final String NAMESPACE = "e2e";
    static final String HOST = "echo.zonemesh.test";
    static final int PORT = 7070;
    /** The {@code api_listener} the control plane emits for grpc clients: the ServiceEntry host and port. */
    static final String TARGET = HOST + ":" + PORT;

    private static final Duration PUSH_TIMEOUT = Duration.ofSeconds(20);
    private static final String NAMESPACE_YAML = String.format(Locale.ROOT, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: %s}
            """, NAMESPACE);

    private final MeshRegistry registry;
    private final ControlPlane controlPlane;

    private InteropMesh(MeshRegistry registry, ControlPlane controlPlane) {
        this.registry = registry;
        this.controlPlane = controlPlane;
    }

    /** Starts the control plane with an empty namespace; {@link #apply} adds the service. */
    static InteropMesh start() throws IOException {
        MeshRegistry registry = MeshRegistry.synthetic(
                MeshSettings.DEFAULT, load(NAMESPACE_YAML).bundle());
        ControlPlane controlPlane = ControlPlane.builder(registry)
                .xdsAddress(new InetSocketAddress("127.0.0.1", 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .debounceAfter(Duration.ofMillis(20))
                .start();
        return new InteropMesh(registry, controlPlane);
    }

    int xdsPort() {
        return controlPlane.xdsPort();
    }

    /**
     * Replaces the mesh with the echo ServiceEntry for {@code backends} plus {@code extraYaml} (Istio
     * resources for {@value #HOST}), and returns once the control plane has pushed it to every
     * connected client and they have ACKed it.
     */
    void apply(List<EchoBackend> backends, String... extraYaml) {
        StringBuilder yaml = new StringBuilder(NAMESPACE_YAML).append("---\n").append(serviceEntry(backends));
        for (String doc : extraYaml) {
            yaml.append("---\n").append(doc);
        }
        MeshState state = registry.apply(load(yaml.toString()).bundle());
        await("mesh version " + state.version() + " pushed and ACKed")
                .atMost(PUSH_TIMEOUT)
                .until(() -> controlPlane.converged(state.version(), 0));
    }

    /** NACKs received so far: every one means grpc rejected something the control plane sent. */
    long rejects() {
        return controlPlane.rejects();
    }

    /**
     * MESH_INTERNAL, STATIC resolution (so the cluster is EDS, which grpc requires), one endpoint per
     * backend at 127.0.0.1 with its bound port, locality and labels.
     */
    static String serviceEntry(List<EchoBackend> backends) {
        StringBuilder yaml = new StringBuilder(String.format(Locale.ROOT, """
                apiVersion: networking.istio.io/v1beta1
                kind: ServiceEntry
                metadata: {name: echo, namespace: %s}
                spec:
                  hosts: [%s]
                  location: MESH_INTERNAL
                  resolution: STATIC
                  ports: [{number: %d, name: grpc, protocol: GRPC}]
                  endpoints:
                """, NAMESPACE, HOST, PORT));
        for (EchoBackend b : backends) {
            yaml.append(String.format(
                    Locale.ROOT,
                    "  - {address: 127.0.0.1, ports: {grpc: %d}, locality: %s, labels: {%s}}\n",
                    b.port(),
                    b.locality(),
                    flow(b.labels())));
        }
        return yaml.toString();
    }

    private static String flow(Map<String, String> labels) {
        return new TreeMap<>(labels)
                .entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static LoadResult load(String yaml) {
        LoadResult loaded = new ConfigLoader().loadString(yaml, "e2e");
        if (loaded.hasErrors()) {
            throw new IllegalArgumentException("mesh: "
                    + loaded.diagnostics().stream().map(Diagnostic::format).collect(Collectors.joining("; "))
                    + " (expected: no errors)");
        }
        return loaded;
    }

    @Override
    public void close() {
        controlPlane.close();
    }
}

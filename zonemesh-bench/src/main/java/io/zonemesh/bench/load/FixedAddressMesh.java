package io.zonemesh.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.EndpointAddressing;
import io.zonemesh.registry.EndpointAddressing.HostPort;
import io.zonemesh.registry.MeshRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A control plane for a mesh whose pods run elsewhere, at addresses given up front: for each
 * pod, where callers reach it ({@code --endpoint}, e.g. its sidecar's inbound listener) and where
 * its application listens ({@code --app}, e.g. an nginx; the sidecar's inbound cluster forwards
 * there). Unlike {@code zonemesh up}, which runs its own echo application behind every sidecar,
 * this lets any backend sit behind a standalone {@code zonemesh proxy --inbound}, so the
 * two-proxy latency benchmark measures client sidecar → server sidecar → nginx exactly as Istio
 * does. Pods without addresses get Kubernetes-like synthetic ones.
 *
 * <pre>
 * java -cp benchmarks.jar io.zonemesh.bench.load.FixedAddressMesh -f mesh.yaml \
 *     --endpoint bench/server-0=127.0.0.1:15006 --app bench/server-0=127.0.0.1:8080 --state state.json
 * </pre>
 */
public final class FixedAddressMesh implements AutoCloseable {
    private final Map<String, HostPort> endpoints = new ConcurrentHashMap<>();
    private final Map<String, HostPort> apps = new ConcurrentHashMap<>();
    private final MeshRegistry registry;
    private final ControlPlane controlPlane;

    public FixedAddressMesh(MeshConfigBundle bundle, InetSocketAddress xds) throws IOException {
        // The benchmarks' plaintext path: auto mutual TLS off, since these sidecars are given no
        // CA (the figures in BENCHMARKS.md are sidecar-to-sidecar HTTP without TLS).
        this.registry = new MeshRegistry(
                MeshSettings.DEFAULT.withEnableAutoMtls(false),
                MeshConfigBundle.EMPTY,
                (config, pods) -> addressing(pods));
        this.controlPlane = ControlPlane.builder(registry)
                .xdsAddress(xds)
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .start();
        registry.apply(bundle);
    }

    public int xdsPort() {
        return controlPlane.xdsPort();
    }

    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** Where callers reach {@code namespace/pod}; takes effect at once (the registry is refreshed). */
    public void endpoint(String namespace, String pod, HostPort address) {
        endpoints.put(namespace + "/" + pod, address);
        registry.refresh();
    }

    /** Where the application of {@code namespace/pod} listens, whatever port a caller names. */
    public void application(String namespace, String pod, HostPort address) {
        apps.put(namespace + "/" + pod, address);
        registry.refresh();
    }

    private EndpointAddressing addressing(List<PodInstance> pods) {
        EndpointAddressing synthetic = EndpointAddressing.synthetic(pods);
        return new EndpointAddressing() {
            @Override
            public HostPort endpoint(PodInstance pod, int targetPort) {
                HostPort e = endpoints.get(key(pod));
                return e != null ? e : apps.getOrDefault(key(pod), synthetic.endpoint(pod, targetPort));
            }

            @Override
            public HostPort application(PodInstance pod, int targetPort) {
                return apps.getOrDefault(key(pod), synthetic.application(pod, targetPort));
            }

            @Override
            public String podIp(PodInstance pod) {
                return endpoints.containsKey(key(pod)) || apps.containsKey(key(pod))
                        ? "127.0.0.1"
                        : synthetic.podIp(pod);
            }
        };
    }

    private static String key(PodInstance pod) {
        return pod.namespace() + "/" + pod.name();
    }

    @Override
    public void close() {
        controlPlane.close();
    }

    /** Loads YAML, or fails with every diagnostic. */
    public static MeshConfigBundle load(Path fileOrDir) {
        LoadResult r = new ConfigLoader().load(fileOrDir);
        if (r.hasErrors()) {
            StringBuilder sb = new StringBuilder(fileOrDir + " is invalid:\n");
            for (Diagnostic d : r.diagnostics()) {
                sb.append("  ").append(d.format()).append('\n');
            }
            throw new IllegalArgumentException(sb.toString());
        }
        return r.bundle();
    }

    public static void main(String[] args) throws Exception {
        Path config = null;
        Path state = null;
        InetSocketAddress xds = new InetSocketAddress("127.0.0.1", 0);
        Map<String, HostPort> eps = new java.util.LinkedHashMap<>();
        Map<String, HostPort> appAddrs = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "-f" -> config = Path.of(v);
                case "--state" -> state = Path.of(v);
                case "--xds" ->
                    xds = new InetSocketAddress(
                            v.substring(0, v.lastIndexOf(':')), Integer.parseInt(v.substring(v.lastIndexOf(':') + 1)));
                case "--endpoint" -> eps.put(v.substring(0, v.indexOf('=')), hostPort(v.substring(v.indexOf('=') + 1)));
                case "--app" -> appAddrs.put(v.substring(0, v.indexOf('=')), hostPort(v.substring(v.indexOf('=') + 1)));
                default ->
                    throw new IllegalArgumentException(args[i] + " (expected: -f FILE [--xds HOST:PORT]"
                            + " [--endpoint NS/POD=HOST:PORT]... [--app NS/POD=HOST:PORT]... [--state FILE])");
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("-f FILE is required");
        }
        FixedAddressMesh mesh = new FixedAddressMesh(load(config), xds);
        mesh.endpoints.putAll(eps);
        mesh.apps.putAll(appAddrs);
        mesh.registry.refresh();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            mesh.close();
                            stopped.countDown();
                        },
                        "fixed-address-mesh-shutdown"));
        if (state != null) {
            Files.writeString(
                    state,
                    new ObjectMapper()
                            .writeValueAsString(
                                    Map.of("pid", ProcessHandle.current().pid(), "xdsPort", mesh.xdsPort())));
        }
        System.out.println("control plane: xDS 127.0.0.1:" + mesh.xdsPort() + ", "
                + mesh.registry.pods().size() + " pods");
        stopped.await();
    }

    private static HostPort hostPort(String v) {
        int colon = v.lastIndexOf(':');
        return new HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
    }
}

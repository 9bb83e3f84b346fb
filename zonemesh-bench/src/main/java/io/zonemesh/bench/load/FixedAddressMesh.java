package io.zonemesh.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
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
import java.security.SecureRandom;
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
 *     --endpoint bench/server-0=127.0.0.1:15006 --app bench/server-0=127.0.0.1:8080 --state state.json \
 *     [--mtls DIR]
 * </pre>
 *
 * <p>With {@code --mtls DIR} the mesh has a CA ({@link BenchCa}): the control plane serves
 * Istio's certificate service on a TLS port ({@code caPort} in the state file), auto mutual TLS is
 * on, and {@code DIR} holds {@code root-cert.pem} and one bootstrap token per pod
 * ({@code <ns>.<pod>.token}) for each sidecar's {@code --ca-root-cert} and {@code --token-file}.
 */
public final class FixedAddressMesh implements AutoCloseable {
    private final Map<String, HostPort> endpoints = new ConcurrentHashMap<>();
    private final Map<String, HostPort> apps = new ConcurrentHashMap<>();
    private final MeshRegistry registry;
    private final ControlPlane controlPlane;

    /** A mesh without a CA: auto mutual TLS off, sidecar to sidecar in plaintext. */
    public FixedAddressMesh(MeshConfigBundle bundle, InetSocketAddress xds) throws IOException {
        this(bundle, xds, null);
    }

    /**
     * A mesh whose control plane also serves the certificate service of {@code ca} (on a TLS port
     * of its own, as {@code zonemesh up}'s), with auto mutual TLS on: sidecars that get their
     * certificates there send Istio mTLS to each other. Without a CA, auto mutual TLS is off.
     */
    public FixedAddressMesh(MeshConfigBundle bundle, InetSocketAddress xds, @Nullable BenchCa ca) throws IOException {
        // Without a CA the sidecars would send TLS without a certificate to each other and fail
        // closed, so that mesh is the benchmarks' plaintext path (auto mutual TLS off).
        this.registry = new MeshRegistry(
                MeshSettings.DEFAULT.withEnableAutoMtls(ca != null),
                MeshConfigBundle.EMPTY,
                (config, pods) -> addressing(pods));
        ControlPlane.Builder builder =
                ControlPlane.builder(registry).xdsAddress(xds).debugAddress(new InetSocketAddress("127.0.0.1", 0));
        if (ca != null) {
            builder.tls(new InetSocketAddress("127.0.0.1", 0), ca.holder(), ca.tokens());
        }
        this.controlPlane = builder.start();
        registry.apply(bundle);
    }

    public int xdsPort() {
        return controlPlane.xdsPort();
    }

    /** The certificate service's TLS port (istiod's 15012); only with a CA. */
    public int caPort() {
        return controlPlane.xdsTlsPort();
    }

    /** The planned pod {@code namespace/name}. */
    public PodInstance pod(String namespace, String name) {
        for (PodInstance p : registry.pods()) {
            if (p.namespace().equals(namespace) && p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("pod: " + namespace + "/" + name + " (expected: a pod of the mesh)");
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
        Path mtls = null;
        InetSocketAddress xds = new InetSocketAddress("127.0.0.1", 0);
        Map<String, HostPort> eps = new java.util.LinkedHashMap<>();
        Map<String, HostPort> appAddrs = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "-f" -> config = Path.of(v);
                case "--state" -> state = Path.of(v);
                case "--mtls" -> mtls = Path.of(v);
                case "--xds" ->
                    xds = new InetSocketAddress(
                            v.substring(0, v.lastIndexOf(':')), Integer.parseInt(v.substring(v.lastIndexOf(':') + 1)));
                case "--endpoint" -> eps.put(v.substring(0, v.indexOf('=')), hostPort(v.substring(v.indexOf('=') + 1)));
                case "--app" -> appAddrs.put(v.substring(0, v.indexOf('=')), hostPort(v.substring(v.indexOf('=') + 1)));
                default ->
                    throw new IllegalArgumentException(args[i] + " (expected: -f FILE [--xds HOST:PORT]"
                            + " [--endpoint NS/POD=HOST:PORT]... [--app NS/POD=HOST:PORT]... [--mtls DIR]"
                            + " [--state FILE])");
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("-f FILE is required");
        }
        BenchCa ca = mtls == null ? null : new BenchCa(Clock.system(), new SecureRandom());
        FixedAddressMesh mesh = new FixedAddressMesh(load(config), xds, ca);
        mesh.endpoints.putAll(eps);
        mesh.apps.putAll(appAddrs);
        mesh.registry.refresh();
        if (ca != null && mtls != null) {
            ca.writeFiles(mtls, mesh.registry.pods());
        }
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
                            .writeValueAsString(Map.of(
                                    "pid",
                                    ProcessHandle.current().pid(),
                                    "xdsPort",
                                    mesh.xdsPort(),
                                    "caPort",
                                    mesh.caPort())));
        }
        System.out.println("control plane: xDS 127.0.0.1:" + mesh.xdsPort()
                + (ca == null ? "" : ", CA 127.0.0.1:" + mesh.caPort() + " (root and tokens in " + mtls + ")") + ", "
                + mesh.registry.pods().size() + " pods");
        stopped.await();
    }

    private static HostPort hostPort(String v) {
        int colon = v.lastIndexOf(':');
        return new HostPort(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
    }
}

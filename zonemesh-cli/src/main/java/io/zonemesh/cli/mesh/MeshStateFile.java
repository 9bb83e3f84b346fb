package io.zonemesh.cli.mesh;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How other commands find a running local mesh: {@code zonemesh up} writes where everything
 * listens to {@code <state dir>/mesh.json} and removes it on exit. The state dir is
 * {@code $ZONEMESH_STATE_DIR}, else {@code ~/.zonemesh}.
 */
public record MeshStateFile(
        long pid,
        String configDir,
        int xdsPort,
        int debugPort,
        int xdsTlsPort,
        List<Proxy> proxies,
        List<App> apps,
        List<Gateway> gateways,
        List<Cluster> clusters) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public MeshStateFile {
        proxies = List.copyOf(proxies);
        apps = List.copyOf(apps);
        gateways = gateways == null ? List.of() : List.copyOf(gateways);
        clusters = clusters == null ? List.of() : List.copyOf(clusters);
    }

    /** A one-cluster mesh ({@code zonemesh up -f}): no cluster list. */
    public MeshStateFile(
            long pid,
            String configDir,
            int xdsPort,
            int debugPort,
            int xdsTlsPort,
            List<Proxy> proxies,
            List<App> apps,
            List<Gateway> gateways) {
        this(pid, configDir, xdsPort, debugPort, xdsTlsPort, proxies, apps, gateways, List.of());
    }

    /**
     * One cluster of {@code zonemesh up --cluster} and its control plane's ports (the file's top-level
     * ports are the first cluster's, so readers that know one control plane keep working).
     */
    public record Cluster(String name, String network, String configDir, int xdsPort, int debugPort, int xdsTlsPort) {}

    /** The cluster called {@code name}, or null. */
    public @Nullable Cluster cluster(String name) {
        for (Cluster c : clusters) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** A Gateway resource and the workload labels its selector picks. */
    public record Gateway(String namespace, String name, Map<String, String> selector) {}

    /** The Gateway {@code namespace/name}, or null. */
    public @Nullable Gateway gateway(String namespace, String name) {
        for (Gateway g : gateways) {
            if (g.namespace().equals(namespace) && g.name().equals(name)) {
                return g;
            }
        }
        return null;
    }

    /**
     * A sidecar or gateway proxy of the local mesh.
     *
     * @param inboundPort the single inbound socket of a sidecar without application ports, else -1
     * @param gatewayPorts a gateway's bound listener port by Gateway server port (80 → 41234)
     * @param inboundPorts a sidecar's inbound socket by application port (8080 → 41235): where a
     *     caller of that port connects, and what {@code openssl s_client} can be pointed at
     * @param spiffeId the identity its certificate carries
     * @param cluster its cluster in {@code zonemesh up --cluster}, "" in a one-cluster mesh
     */
    public record Proxy(
            String namespace,
            String pod,
            String owner,
            String locality,
            int outboundPort,
            int inboundPort,
            int adminPort,
            boolean gateway,
            Map<Integer, Integer> gatewayPorts,
            Map<String, String> labels,
            Map<Integer, Integer> inboundPorts,
            String spiffeId,
            String cluster) {
        public Proxy {
            cluster = cluster == null ? "" : cluster;
            gatewayPorts = gatewayPorts == null ? Map.of() : Map.copyOf(gatewayPorts);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            inboundPorts = inboundPorts == null ? Map.of() : Map.copyOf(inboundPorts);
            spiffeId = spiffeId == null ? "" : spiffeId;
        }

        /** A proxy of a one-cluster mesh. */
        public Proxy(
                String namespace,
                String pod,
                String owner,
                String locality,
                int outboundPort,
                int inboundPort,
                int adminPort,
                boolean gateway,
                Map<Integer, Integer> gatewayPorts,
                Map<String, String> labels,
                Map<Integer, Integer> inboundPorts,
                String spiffeId) {
            this(
                    namespace,
                    pod,
                    owner,
                    locality,
                    outboundPort,
                    inboundPort,
                    adminPort,
                    gateway,
                    gatewayPorts,
                    labels,
                    inboundPorts,
                    spiffeId,
                    "");
        }
    }

    /** An application instance (echo server) of the local mesh. */
    public record App(String namespace, String pod, String owner, String locality, int port, boolean sidecar) {}

    public static Path defaultDir() {
        String env = System.getenv("ZONEMESH_STATE_DIR");
        return env != null && !env.isEmpty() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".zonemesh");
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("mesh.json.tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve("mesh.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The running mesh recorded in {@code dir}, if its process is still alive. */
    public static Optional<MeshStateFile> find(Path dir) throws IOException {
        Path file = dir.resolve("mesh.json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        MeshStateFile state = JSON.readValue(file.toFile(), MeshStateFile.class);
        boolean alive =
                ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(state) : Optional.empty();
    }

    public static void remove(Path dir, long pid) {
        try {
            Path file = dir.resolve("mesh.json");
            if (Files.exists(file)
                    && JSON.readValue(file.toFile(), MeshStateFile.class).pid() == pid) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Best effort at shutdown: a stale file is detected by its dead pid anyway.
        }
    }

    /** The first gateway proxy whose labels the selector matches, or null. */
    public @Nullable Proxy gatewayFor(Map<String, String> selector) {
        for (Proxy p : proxies) {
            if (p.gateway()
                    && !selector.isEmpty()
                    && selector.entrySet().stream()
                            .allMatch(e -> e.getValue().equals(p.labels().get(e.getKey())))) {
                return p;
            }
        }
        return null;
    }

    /** The first proxy of a Deployment ({@code namespace/owner}) or of a pod name, or null. */
    public @Nullable Proxy proxyOf(String namespace, String ownerOrPod) {
        for (Proxy p : proxies) {
            if (p.namespace().equals(namespace)
                    && (p.owner().equals(ownerOrPod) || p.pod().equals(ownerOrPod))) {
                return p;
            }
        }
        return null;
    }

    /** The first proxy of a Deployment or pod name in {@code cluster} (any cluster when null), or null. */
    public @Nullable Proxy proxyOf(String namespace, String ownerOrPod, @Nullable String cluster) {
        for (Proxy p : proxies) {
            if (p.namespace().equals(namespace)
                    && (p.owner().equals(ownerOrPod) || p.pod().equals(ownerOrPod))
                    && (cluster == null || p.cluster().equals(cluster))) {
                return p;
            }
        }
        return null;
    }

    /** The clusters where a Deployment or pod name has a proxy, in file order ("" in a one-cluster mesh). */
    public List<String> clustersOf(String namespace, String ownerOrPod) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Proxy p : proxies) {
            if (p.namespace().equals(namespace)
                    && (p.owner().equals(ownerOrPod) || p.pod().equals(ownerOrPod))) {
                out.add(p.cluster());
            }
        }
        return List.copyOf(out);
    }

    /**
     * Why {@code --cluster} is needed or wrong for {@code namespace/name}, or null when it is not: a
     * name found in several clusters without {@code --cluster}, or a {@code --cluster} the mesh does
     * not have.
     */
    public @Nullable String clusterProblem(String namespace, String name, @Nullable String cluster) {
        List<String> names = clusters.stream().map(Cluster::name).toList();
        if (cluster != null) {
            return names.contains(cluster)
                    ? null
                    : "--cluster: " + cluster + " (expected one of the running mesh's clusters: "
                            + (names.isEmpty() ? "none, it was started with -f" : names) + ")";
        }
        List<String> where = clustersOf(namespace, name);
        return where.size() > 1
                ? namespace + "/" + name + " runs in clusters " + where + " (expected: --cluster with one of them)"
                : null;
    }
}

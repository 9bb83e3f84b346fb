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
import java.util.Optional;

/**
 * How other commands find a running local mesh: {@code zonemesh up} writes where everything
 * listens to {@code <state dir>/mesh.json} and removes it on exit. The state dir is
 * {@code $ZONEMESH_STATE_DIR}, else {@code ~/.zonemesh}.
 */
public record MeshStateFile(long pid, String configDir, int xdsPort, int debugPort, List<Proxy> proxies,
        List<App> apps) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public MeshStateFile {
        proxies = List.copyOf(proxies);
        apps = List.copyOf(apps);
    }

    /** A sidecar or gateway proxy of the local mesh. */
    public record Proxy(String namespace, String pod, String owner, String locality, int outboundPort,
            int inboundPort, int adminPort) {}

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
        boolean alive = ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Optional.of(state) : Optional.empty();
    }

    public static void remove(Path dir, long pid) {
        try {
            Path file = dir.resolve("mesh.json");
            if (Files.exists(file) && JSON.readValue(file.toFile(), MeshStateFile.class).pid() == pid) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Best effort at shutdown: a stale file is detected by its dead pid anyway.
        }
    }

    /** The first proxy of a Deployment ({@code namespace/owner}) or of a pod name, or null. */
    public @Nullable Proxy proxyOf(String namespace, String ownerOrPod) {
        for (Proxy p : proxies) {
            if (p.namespace().equals(namespace) && (p.owner().equals(ownerOrPod) || p.pod().equals(ownerOrPod))) {
                return p;
            }
        }
        return null;
    }
}

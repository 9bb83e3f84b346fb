package io.zonemesh.cli;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.config.LoadResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Re-reads the mesh's YAML when a file changes. A change with errors is reported and not
 * applied: the mesh keeps serving the last good configuration.
 */
final class ConfigWatcher implements AutoCloseable {
    private final Path path;
    private final LocalMesh mesh;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ScheduledExecutorService executor;
    private long lastStamp;

    private final Runnable onApplied;

    ConfigWatcher(Path path, LocalMesh mesh, PrintWriter out, PrintWriter err, Runnable onApplied) {
        this.onApplied = onApplied;
        this.path = path;
        this.mesh = mesh;
        this.out = out;
        this.err = err;
        this.lastStamp = stamp();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zonemesh-config-watch");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        try {
            long now = stamp();
            if (now == lastStamp) {
                return;
            }
            lastStamp = now;
            LoadResult result = ConfigFiles.load(path, err);
            if (result == null || result.hasErrors()) {
                err.println("zonemesh up: " + path + " changed but has errors; still serving the previous config");
                err.flush();
                return;
            }
            mesh.apply(result.bundle());
            try {
                mesh.awaitConverged(java.time.Duration.ofSeconds(30));
            } catch (java.util.concurrent.TimeoutException e) {
                err.println("zonemesh up: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            onApplied.run();
            out.println("zonemesh up: " + path + " changed; pushed mesh version " + mesh.registry().state().version());
            out.flush();
        } catch (RuntimeException e) {
            err.println("zonemesh up: could not apply the change: " + e);
            err.flush();
        }
    }

    /** A fingerprint of the files' names, sizes and modification times. */
    private long stamp() {
        try (Stream<Path> files = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return f.getFileName().toString().hashCode() * 31L + Files.size(f) * 17L
                            + Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

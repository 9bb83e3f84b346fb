package io.zonemesh.cli;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Re-reads the mesh's YAML when a file changes. A change with errors is reported and not
 * applied: the mesh keeps serving the last good configuration.
 */
final class ConfigWatcher implements AutoCloseable {
    /** Where a good configuration goes: the running mesh. */
    interface Target {
        void apply(MeshConfigBundle bundle);

        void awaitConverged(Duration timeout) throws TimeoutException, InterruptedException;

        long version();

        static Target of(LocalMesh mesh) {
            return new Target() {
                @Override
                public void apply(MeshConfigBundle bundle) {
                    mesh.apply(bundle);
                }

                @Override
                public void awaitConverged(Duration timeout) throws TimeoutException, InterruptedException {
                    mesh.awaitConverged(timeout);
                }

                @Override
                public long version() {
                    return mesh.registry().state().version();
                }
            };
        }
    }

    private final Path path;
    private final Function<Path, LoadResult> loader;
    private final Target mesh;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Runnable onApplied;
    private final ScheduledExecutorService executor;
    private long lastStamp;

    /** Watches {@code path}, checking once a second, until closed. */
    static ConfigWatcher start(Path path, Function<Path, LoadResult> loader, Target mesh, PrintWriter out,
            PrintWriter err, Runnable onApplied) {
        ConfigWatcher watcher = new ConfigWatcher(path, loader, mesh, out, err, onApplied);
        watcher.executor.scheduleWithFixedDelay(watcher::check, 1, 1, TimeUnit.SECONDS);
        return watcher;
    }

    /** A watcher that checks only when {@link #check()} is called (tests). */
    ConfigWatcher(Path path, Function<Path, LoadResult> loader, Target mesh, PrintWriter out, PrintWriter err,
            Runnable onApplied) {
        this.path = path;
        this.loader = loader;
        this.mesh = mesh;
        this.out = out;
        this.err = err;
        this.onApplied = onApplied;
        this.lastStamp = stamp();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "zonemesh-config-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** One look at the files: reload and apply them if they changed. */
    void check() {
        try {
            long now = stamp();
            if (now == lastStamp) {
                return;
            }
            lastStamp = now;
            LoadResult result = loader.apply(path);
            if (result == null || result.hasErrors()) {
                err.println("zonemesh up: " + path + " changed but has errors; still serving the previous config");
                err.flush();
                return;
            }
            mesh.apply(result.bundle());
            try {
                mesh.awaitConverged(Duration.ofSeconds(30));
            } catch (TimeoutException e) {
                err.println("zonemesh up: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            onApplied.run();
            out.println("zonemesh up: " + path + " changed; pushed mesh version " + mesh.version());
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

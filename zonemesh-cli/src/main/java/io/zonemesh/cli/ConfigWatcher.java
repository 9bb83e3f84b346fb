package io.zonemesh.cli;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.common.Nullable;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Re-reads the mesh's YAML when a file changes. A change with errors is reported and not
 * applied: the mesh keeps serving the last good configuration.
 *
 * <p>Nothing that goes wrong in a check stops the watcher: an exception or error (a bug, a stack
 * overflow) is reported with the file and what failed, the change is not applied, and the next
 * edit is read as usual. The exception is running out of memory (or another
 * {@link VirtualMachineError} but a stack overflow): then any thread of the JVM, a sidecar's
 * event loop or the control plane's push thread, may have failed an allocation too, so the
 * watcher stops and hands {@code onFatal} a message, and {@code up} exits non-zero rather than
 * look healthy with parts of the mesh dead. {@code YamlLimits} keeps a single file from getting
 * there in a default heap.
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
    private final Function<Path, @Nullable LoadResult> loader;
    private final Target mesh;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Runnable onApplied;
    private final Consumer<String> onFatal;
    private final ScheduledExecutorService executor;
    // Both confined to the watcher's thread (tests call check() on theirs).
    private long lastStamp;
    private boolean stopped;

    /** Watches {@code path}, checking once a second, until closed. */
    static ConfigWatcher start(
            Path path,
            Function<Path, @Nullable LoadResult> loader,
            Target mesh,
            PrintWriter out,
            PrintWriter err,
            Runnable onApplied,
            Consumer<String> onFatal) {
        ConfigWatcher watcher = new ConfigWatcher(path, loader, mesh, out, err, onApplied, onFatal);
        watcher.executor.scheduleWithFixedDelay(watcher::check, 1, 1, TimeUnit.SECONDS);
        return watcher;
    }

    /** A watcher that checks only when {@link #check()} is called (tests). */
    ConfigWatcher(
            Path path,
            Function<Path, @Nullable LoadResult> loader,
            Target mesh,
            PrintWriter out,
            PrintWriter err,
            Runnable onApplied,
            Consumer<String> onFatal) {
        this.onFatal = onFatal;
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

    /** One look at the files: reload and apply them if they changed. Never throws. */
    void check() {
        if (stopped) {
            return;
        }
        String step = "read";
        try {
            long now = stamp();
            if (now == lastStamp) {
                return;
            }
            lastStamp = now;
            LoadResult result = loader.apply(path);
            if (result == null || result.hasErrors()) {
                report(err, "zonemesh up: " + path + " changed but has errors; still serving the previous config");
                return;
            }
            step = "apply";
            mesh.apply(result.bundle());
            try {
                mesh.awaitConverged(Duration.ofSeconds(30));
            } catch (TimeoutException e) {
                report(err, "zonemesh up: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            onApplied.run();
            report(out, "zonemesh up: " + path + " changed; pushed mesh version " + mesh.version());
        } catch (VirtualMachineError e) {
            if (!(e instanceof StackOverflowError)) {
                stopped = true;
                onFatal.accept("zonemesh up: " + describe(e) + " while the watcher tried to " + step + " " + path
                        + "; stopping the mesh, since any of its threads may have failed too (expected: a larger "
                        + "heap, e.g. ZONEMESH_JAVA_OPTS=-Xmx2g, or smaller files)");
                return;
            }
            failed(step, e);
        } catch (Throwable e) {
            // The scheduler would drop the task on any throwable and nobody would know: report and go on.
            failed(step, e);
        }
    }

    private void failed(String step, Throwable e) {
        report(
                err,
                "zonemesh up: could not " + step + " " + path + ": " + describe(e)
                        + ("read".equals(step)
                                ? "; still serving the previous config"
                                : "; the mesh may hold part of the change; the next edit is applied in full"));
    }

    private static String describe(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return e + (trace.length == 0 ? "" : " at " + trace[0]);
    }

    private static void report(PrintWriter to, String line) {
        to.println(line);
        to.flush();
    }

    /** A fingerprint of the files' names, sizes and modification times. */
    private long stamp() {
        try (Stream<Path> files = Files.isDirectory(path) ? Files.list(path) : Stream.of(path)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return f.getFileName().toString().hashCode() * 31L
                                    + Files.size(f) * 17L
                                    + Files.getLastModifiedTime(f).toMillis();
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}

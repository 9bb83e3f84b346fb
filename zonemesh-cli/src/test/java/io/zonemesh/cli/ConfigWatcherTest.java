package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.MeshConfigBundle;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher's loop on its own: a failure of any kind costs one change, never the watcher. */
class ConfigWatcherTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<MeshConfigBundle> applied = new ArrayList<>();
    private final List<String> fatal = new ArrayList<>();
    private final ConfigWatcher.Target mesh = new ConfigWatcher.Target() {
        @Override
        public void apply(MeshConfigBundle bundle) {
            applied.add(bundle);
        }

        @Override
        public void awaitConverged(Duration timeout) {}

        @Override
        public long version() {
            return applied.size();
        }
    };

    private static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n";
    }

    private ConfigWatcher watcher(Path file, Function<Path, LoadResult> loader) {
        return new ConfigWatcher(
                file, loader, mesh, new PrintWriter(out, true), new PrintWriter(err, true), () -> {}, fatal::add);
    }

    @Test
    void errorWhileReloadingIsReportedAndTheNextGoodEditIsStillApplied() throws IOException {
        Path file = Files.writeString(dir.resolve("mesh.yaml"), namespace("a"));
        List<Throwable> failures = new ArrayList<>(List.of(new StackOverflowError()));
        ConfigLoader real = new ConfigLoader();
        ConfigWatcher watcher = watcher(file, p -> {
            if (!failures.isEmpty()) {
                Throwable t = failures.remove(0);
                if (t instanceof Error e) {
                    throw e;
                }
            }
            return real.load(p);
        });

        Files.writeString(file, namespace("bb"));
        watcher.check();

        assertThat(applied).isEmpty();
        assertThat(err.toString())
                .contains("zonemesh up: could not read " + file + ": java.lang.StackOverflowError")
                .contains("; still serving the previous config");

        Files.writeString(file, namespace("ccc"));
        watcher.check();

        assertThat(applied)
                .singleElement()
                .satisfies(b -> assertThat(b.namespaces().get(0).meta().name()).isEqualTo("ccc"));
        assertThat(out.toString()).contains("changed; pushed mesh version 1");
        watcher.close();
    }

    @Test
    void outOfMemoryStopsTheWatcherAndAsksUpToExitInsteadOfLookingHealthy() throws IOException {
        Path file = Files.writeString(dir.resolve("mesh.yaml"), namespace("a"));
        ConfigWatcher watcher = watcher(file, p -> {
            throw new OutOfMemoryError("Java heap space");
        });

        Files.writeString(file, namespace("bb"));
        watcher.check();

        assertThat(applied).isEmpty();
        assertThat(fatal)
                .singleElement()
                .satisfies(m -> assertThat(m)
                        .startsWith("zonemesh up: java.lang.OutOfMemoryError: Java heap space")
                        .contains("while the watcher tried to read " + file + "; stopping the mesh")
                        .contains("ZONEMESH_JAVA_OPTS=-Xmx"));

        Files.writeString(file, namespace("ccc"));
        watcher.check();
        assertThat(fatal).hasSize(1);
        watcher.close();
    }

    @Test
    void failureWhileApplyingSaysTheMeshMayHoldPartOfTheChange() throws IOException {
        Path file = Files.writeString(dir.resolve("mesh.yaml"), namespace("a"));
        ConfigLoader real = new ConfigLoader();
        ConfigWatcher watcher = new ConfigWatcher(
                file,
                real::load,
                new ConfigWatcher.Target() {
                    @Override
                    public void apply(MeshConfigBundle bundle) {
                        throw new IllegalStateException("listener failed");
                    }

                    @Override
                    public void awaitConverged(Duration timeout) {}

                    @Override
                    public long version() {
                        return 0;
                    }
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                () -> {},
                fatal::add);

        Files.writeString(file, namespace("bb"));
        watcher.check();

        assertThat(err.toString())
                .contains("could not apply " + file + ": java.lang.IllegalStateException: listener failed at ")
                .contains("the mesh may hold part of the change");
        assertThat(fatal).isEmpty();
        watcher.close();
    }
}

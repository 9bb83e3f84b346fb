package io.zonemesh.cli;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.yaml.YamlLimits;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loading user configuration for commands: the one path by which {@code up}, its watcher and
 * {@code analyze} read YAML, so that they never disagree about what a file says.
 */
final class ConfigFiles {
    private ConfigFiles() {}

    /** Loads {@code path}; prints each diagnostic to {@code err}. Null when the path does not exist. */
    static @Nullable LoadResult load(Path path, YamlLimits limits, PrintWriter err) {
        if (!Files.exists(path)) {
            err.println("zonemesh: " + path + ": no such file or directory");
            return null;
        }
        LoadResult result = read(path, limits);
        print(result, err);
        return result;
    }

    /** Loads {@code path} and prints nothing. */
    static LoadResult read(Path path, YamlLimits limits) {
        return new ConfigLoader(limits).load(path);
    }

    static void print(LoadResult result, PrintWriter err) {
        for (Diagnostic d : result.diagnostics()) {
            err.println(d.format());
        }
        err.flush();
    }
}

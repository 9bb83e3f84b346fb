package io.zonemesh.cli;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading user configuration for commands, with every problem printed. */
final class ConfigFiles {
    private ConfigFiles() {}

    /** Loads {@code path}; prints each diagnostic to {@code err}. */
    static @Nullable LoadResult load(Path path, PrintWriter err) {
        if (!Files.exists(path)) {
            err.println("zonemesh: " + path + ": no such file or directory");
            return null;
        }
        LoadResult result = new ConfigLoader().load(path);
        print(result, err);
        return result;
    }

    static void print(LoadResult result, PrintWriter err) {
        for (Diagnostic d : result.diagnostics()) {
            err.println(d.format());
        }
        err.flush();
    }
}

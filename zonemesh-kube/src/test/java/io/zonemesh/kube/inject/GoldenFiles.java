package io.zonemesh.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output to files under {@code src/test/resources/inject/}; with
 * {@code -Dzonemesh.golden.update=true} it rewrites them instead, to be reviewed in the diff.
 */
final class GoldenFiles {
    static final String UPDATE_PROPERTY = "zonemesh.golden.update";
    static final Path ROOT = Path.of("src", "test", "resources", "inject");

    private GoldenFiles() {}

    static String read(String name) throws IOException {
        return Files.readString(ROOT.resolve(name), StandardCharsets.UTF_8);
    }

    static void assertMatches(String name, String actual) throws IOException {
        Path file = ROOT.resolve(name);
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(file)
                .as("golden file %s is missing; run with -D%s=true to create it", file, UPDATE_PROPERTY)
                .exists();
        assertThat(actual)
                .as("output differs from %s; run with -D%s=true and review the diff", file, UPDATE_PROPERTY)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}

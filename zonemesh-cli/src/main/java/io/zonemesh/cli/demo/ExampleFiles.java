package io.zonemesh.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The example meshes ship inside the CLI, so {@code zonemesh demo} runs anywhere. Their one copy is
 * the repository's top-level {@code examples/}; the build bundles it as the classpath folder
 * {@code /examples} (zonemesh-cli's POM). They are written to a temporary directory and read from
 * there, which keeps file names in any error message.
 */
public final class ExampleFiles {
    private ExampleFiles() {}

    /** Copies {@code examples/<scenario>/<file>} (a file may name a subfolder) for each file into a new temp dir. */
    public static Path extract(String scenario, List<String> files) throws IOException {
        Path dir = Files.createTempDirectory("zonemesh-" + scenario + "-");
        dir.toFile().deleteOnExit();
        for (String file : files) {
            String resource = "/examples/" + scenario + "/" + file;
            try (InputStream in = ExampleFiles.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("missing bundled example " + resource);
                }
                Path target = dir.resolve(file);
                Files.createDirectories(target.getParent()); // examples/multicluster has one folder per cluster
                Files.copy(in, target);
                target.toFile().deleteOnExit();
            }
        }
        return dir;
    }
}

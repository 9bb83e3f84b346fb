package io.zonemesh.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The demos run the repository's top-level examples/ (the files README tells users to run), not a
 * second copy: every file there is bundled byte for byte.
 */
class ExampleFilesTest {
    /** Surefire runs in the module's directory; the examples are one level up. */
    private static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void everyTopLevelExampleIsBundledUnchanged() throws IOException {
        List<Path> files = exampleFiles();
        assertThat(files).as("files under %s", EXAMPLES.toAbsolutePath()).isNotEmpty();
        for (Path file : files) {
            String resource =
                    "/examples/" + EXAMPLES.relativize(file).toString().replace('\\', '/');
            try (InputStream in = ExampleFiles.class.getResourceAsStream(resource)) {
                assertThat(in).as("bundled %s", resource).isNotNull();
                assertThat(in.readAllBytes()).as(resource).isEqualTo(Files.readAllBytes(file));
            }
        }
    }

    @Test
    void theDemosScenariosAreTheTopLevelExamples() throws IOException {
        for (String scenario : List.of("multi-az", "external-failover", "cross-region", "canary")) {
            assertThat(EXAMPLES.resolve(scenario)).isDirectory();
        }
        Path dir = ExampleFiles.extract("multi-az", List.of("cluster.yaml", "locality-failover.yaml"));
        assertThat(dir.resolve("locality-failover.yaml"))
                .hasSameBinaryContentAs(EXAMPLES.resolve("multi-az/locality-failover.yaml"));
    }

    @Test
    void aMissingExampleNamesTheResource() {
        assertThatThrownBy(() -> ExampleFiles.extract("multi-az", List.of("nope.yaml")))
                .isInstanceOf(IOException.class)
                .hasMessage("missing bundled example /examples/multi-az/nope.yaml");
    }

    private static List<Path> exampleFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(EXAMPLES, 4)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}

package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.mesh.MeshStateFile;
import io.zonemesh.cli.mesh.MultiClusterMesh;
import io.zonemesh.common.RandomSource;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /config_dump} answers 200 on every proxy of every example mesh run as {@code zonemesh
 * up} runs it: every typed config a proxy accepts (fault filters, TLS contexts, retry plugins,
 * listener filters) must be printable from the dump's type registry.
 */
class ExampleConfigDumpTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static List<Path> examples() throws IOException {
        Path root = examplesRoot();
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** The examples, wherever the tree keeps them (a top-level examples/ or the CLI's bundled copy). */
    private static Path examplesRoot() {
        for (Path candidate : List.of(Path.of("..", "examples"), Path.of("src", "main", "resources", "examples"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "no examples directory from " + Path.of("").toAbsolutePath());
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyProxyOfTheExampleAnswersConfigDump(Path example) throws Exception {
        List<Path> clusters;
        try (Stream<Path> dirs = Files.list(example)) {
            clusters = dirs.filter(Files::isDirectory).sorted().toList();
        }
        if (!clusters.isEmpty()) {
            // A multi-cluster example (examples/multicluster): one folder per cluster, run as `up --cluster`.
            List<MultiClusterMesh.Member> members = new ArrayList<>();
            Map<String, String> dirs = new LinkedHashMap<>();
            for (Path c : clusters) {
                LoadResult loaded = new ConfigLoader().load(c);
                assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
                members.add(new MultiClusterMesh.Member(c.getFileName().toString(), loaded.bundle()));
                dirs.put(c.getFileName().toString(), c.toString());
            }
            try (MultiClusterMesh mesh =
                    MultiClusterMesh.start(members, RandomSource.seededThreadSafe(1), Duration.ofHours(1), w -> {})) {
                mesh.awaitConverged(Duration.ofSeconds(30));
                assertConfigDumps(mesh.describe(dirs).proxies());
            }
            return;
        }
        LoadResult loaded = new ConfigLoader().load(example);
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        try (LocalMesh mesh = LocalMesh.start(loaded.bundle(), RandomSource.seededThreadSafe(1))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            assertConfigDumps(mesh.describe(example.toString()).proxies());
        }
    }

    private static void assertConfigDumps(List<MeshStateFile.Proxy> proxies) throws Exception {
        assertThat(proxies).isNotEmpty();
        for (MeshStateFile.Proxy proxy : proxies) {
            HttpResponse<String> response = CLIENT.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + "/config_dump"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("%s/%s: %s", proxy.namespace(), proxy.pod(), response.body())
                    .isEqualTo(200);
            assertThat(response.body()).contains("dynamic_active_clusters");
        }
    }
}

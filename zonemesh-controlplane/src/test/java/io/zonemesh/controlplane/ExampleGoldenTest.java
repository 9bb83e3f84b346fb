package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.xds.XdsJson;
import io.zonemesh.xds.XdsResources;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files of the xDS each example mesh produces, from the YAML files through the config
 * loader, registry and generators: one file per injected Deployment (the first pod of each),
 * holding everything its sidecar receives. Regenerate with {@code -Dzonemesh.golden.update=true}
 * and review the diff.
 */
class ExampleGoldenTest {
    private static final boolean UPDATE = Boolean.getBoolean("zonemesh.golden.update");

    static List<String> examples() {
        return List.of("multi-az", "external-failover", "cross-region", "canary");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void generatedXdsMatchesGoldenFiles(String example) throws Exception {
        Path dir = resource("examples/" + example);
        LoadResult loaded = new ConfigLoader().load(dir);
        assertThat(loaded.diagnostics().stream()
                        .filter(Diagnostic::isError)
                        .map(Diagnostic::format)
                        .toList())
                .as("errors loading %s", example)
                .isEmpty();
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, loaded.bundle());
        XdsSnapshotFactory factory = new XdsSnapshotFactory(registry);

        Set<String> owners = new LinkedHashSet<>();
        List<String> checked = new ArrayList<>();
        for (PodInstance pod : registry.pods()) {
            if (!pod.sidecar() || !owners.add(pod.namespace() + "/" + pod.owner())) {
                continue;
            }
            ProxyResources r = factory.build(registry.state(), node(pod));
            String json = XdsJson.print(new XdsResources(r.listeners(), r.routes(), r.clusters(), r.endpoints()));
            Path golden = goldenDir().resolve(example).resolve(pod.namespace() + "." + pod.owner() + ".json");
            if (UPDATE) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, json);
            }
            assertThat(golden)
                    .as("golden file (run with -Dzonemesh.golden.update=true to create)")
                    .exists();
            assertThat(json)
                    .as("xDS for %s/%s in %s", pod.namespace(), pod.owner(), example)
                    .isEqualTo(Files.readString(golden));
            checked.add(pod.owner());
        }
        assertThat(checked).as("injected workloads in %s", example).isNotEmpty();
    }

    /** The Node a zonemesh sidecar of this pod sends (docs/XDS_SHAPES.md). */
    static Node node(PodInstance pod) {
        Struct.Builder labels = Struct.newBuilder();
        pod.labels()
                .forEach((k, v) ->
                        labels.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return Node.newBuilder()
                .setId(pod.name() + "." + pod.namespace())
                .setCluster(pod.owner() + "." + pod.namespace())
                .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                        .setRegion(pod.locality().region())
                        .setZone(pod.locality().zone())
                        .setSubZone(pod.locality().subzone()))
                .setMetadata(Struct.newBuilder()
                        .putFields(
                                "NAMESPACE",
                                Value.newBuilder()
                                        .setStringValue(pod.namespace())
                                        .build())
                        .putFields(
                                "NAME",
                                Value.newBuilder().setStringValue(pod.name()).build())
                        .putFields(
                                "LABELS",
                                Value.newBuilder().setStructValue(labels).build())
                        .putFields(
                                "PROXY_TYPE",
                                Value.newBuilder().setStringValue("sidecar").build()))
                .build();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(
                ExampleGoldenTest.class.getClassLoader().getResource(name).toURI());
    }

    /** The source tree's golden directory, so updates land where they are committed. */
    private static Path goldenDir() throws IOException {
        Path dir = Path.of("src/test/resources/golden");
        Files.createDirectories(dir);
        return dir;
    }
}

package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.Diagnostic.Severity;
import io.zonemesh.config.yaml.YamlLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files and directories: what is read, in which order, and how I/O problems are reported. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private static String namespace(String name) {
        return "apiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + "}\n";
    }

    @Test
    void directoryReadsYamlAndYmlInNameOrderSkippingOtherFilesAndSubdirectories() throws IOException {
        Files.writeString(dir.resolve("b.yml"), namespace("from-b"));
        Files.writeString(dir.resolve("a.yaml"), namespace("from-a"));
        Files.writeString(dir.resolve("c.yaml.alt"), namespace("from-alt"));
        Files.writeString(dir.resolve("README.md"), "# not yaml");
        Files.createDirectories(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested/d.yaml"), namespace("from-nested"));

        LoadResult r = loader.load(dir);

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.bundle().namespaces()).extracting(n -> n.meta().name()).containsExactly("from-a", "from-b");
        assertThat(r.bundle().namespaces().get(0).meta().source())
                .isEqualTo(dir.resolve("a.yaml").toString());
    }

    @Test
    void explicitlyNamedAlternativeFileIsRead() throws IOException {
        Path alt = Files.writeString(dir.resolve("c.yaml.alt"), namespace("from-alt"));

        assertThat(loader.load(alt).bundle().namespaces()).hasSize(1);
    }

    @Test
    void missingPathIsADiagnosticNotAnException() {
        LoadResult r = loader.load(dir.resolve("nope"));

        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0002");
            assertThat(d.source()).isEqualTo(dir.resolve("nope").toString());
            assertThat(d.message()).startsWith("does not exist");
        });
        assertThat(r.bundle()).isEqualTo(MeshConfigBundle.EMPTY);
    }

    @Test
    void directoryWithoutYamlIsOnlyAWarning() {
        LoadResult r = loader.load(dir);

        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0002");
            assertThat(d.severity()).isEqualTo(Severity.WARNING);
        });
        assertThat(r.hasErrors()).isFalse();
    }

    @Test
    void fileThatIsNotUtf8IsReportedAndOtherFilesStillLoad() throws IOException {
        Files.write(dir.resolve("a.yaml"), new byte[] {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'});
        Files.writeString(dir.resolve("b.yaml"), namespace("fine"));

        LoadResult r = loader.load(dir);

        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0002");
            assertThat(d.source()).isEqualTo(dir.resolve("a.yaml").toString());
            assertThat(d.message()).contains("not UTF-8");
        });
        assertThat(r.bundle().namespaces()).hasSize(1);
    }

    @Test
    void fileOverTheSizeLimitIsReportedWithSizeLimitAndRemedyAndOtherFilesStillLoad() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), namespace("small"));
        Files.writeString(dir.resolve("b.yaml"), namespace("big") + "#" + "x".repeat(2000) + "\n");
        ConfigLoader limited = new ConfigLoader(YamlLimits.DEFAULT.withMaxFileBytes(1024));

        LoadResult r = limited.load(dir);

        assertThat(r.bundle().namespaces()).extracting(n -> n.meta().name()).containsExactly("small");
        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0002");
            assertThat(d.source()).isEqualTo(dir.resolve("b.yaml").toString());
            assertThat(d.message())
                    .isEqualTo("is 2,055 bytes, over the limit of 1,024 bytes for one YAML file; not "
                            + "read (expected: smaller files, e.g. one per application; or raise the limit with "
                            + "--max-file-size)");
        });
    }

    @Test
    void aliasResolvesToTheAnchoredValueInTheLoadedResource() {
        LoadResult r = loader.loadString("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: r, namespace: sample, labels: {host: &h helloworld.sample.svc.cluster.local}}
                spec:
                  host: *h
                """, "dr.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.bundle().istio().destinationRules())
                .singleElement()
                .satisfies(dr -> assertThat(dr.host()).isEqualTo("helloworld.sample.svc.cluster.local"));
    }

    @Test
    void duplicatesAcrossFilesOfOneDirectoryAreErrors() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), namespace("twice"));
        Files.writeString(dir.resolve("b.yaml"), "# a comment first\n" + namespace("twice"));

        LoadResult r = loader.load(dir);

        assertThat(r.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0106");
            assertThat(d.source()).isEqualTo(dir.resolve("b.yaml").toString());
            assertThat(d.document()).isEqualTo(1);
            assertThat(d.resource()).isEqualTo("Namespace/twice");
        });
        assertThat(r.bundle().namespaces())
                .singleElement()
                .satisfies(n -> assertThat(n.meta().source()).endsWith("a.yaml"));
    }

    @Test
    void sameIdentityIsADuplicateEvenWhenTheFirstCopyHadErrors() {
        LoadResult r = loader.loadString(
                namespace("twice").replace("{name: twice}", "{name: twice, labels: {a: 1}}") + "---\n"
                        + namespace("twice"),
                "dup.yaml");

        assertThat(r.diagnostics()).extracting(Diagnostic::code).containsExactly("ZM0103", "ZM0106");
        assertThat(r.bundle().namespaces()).isEmpty();
    }

    @Test
    void replacementInALaterLayerWithErrorsRemovesTheOriginalToo() throws IOException {
        Path base = Files.writeString(dir.resolve("base.yaml"), namespace("ns"));
        Path broken = Files.writeString(
                dir.resolve("broken.yaml"), namespace("ns").replace("{name: ns}", "{name: ns, labels: {a: 1}}"));

        LoadResult r = loader.loadLayers(List.of(base, broken));

        assertThat(r.hasErrors()).isTrue();
        assertThat(r.bundle().namespaces()).isEmpty();
    }

    @Test
    void loadStringNamesTheGivenSource() {
        LoadResult r = loader.loadString(namespace("n"), "inline");

        assertThat(r.bundle().namespaces().get(0).meta().source()).isEqualTo("inline");
        assertThat(r.bundle().namespaces().get(0).meta().document()).isEqualTo(1);
    }

    @Test
    void namespacedResourceWithoutNamespaceIsInDefault() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {selector: {app: web}, ports: [{port: 80, targetPort: http, protocol: UDP}]}
                """, "svc.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.bundle().services()).singleElement().satisfies(s -> {
            assertThat(s.meta().namespace()).isEqualTo("default");
            assertThat(s.ports()).singleElement().satisfies(p -> {
                assertThat(p.targetPortName()).isEqualTo("http");
                assertThat(p.targetPortNumber()).isZero();
                assertThat(p.protocol()).isEqualTo("UDP");
            });
        });
    }

    @Test
    void barePodTakesItsLabelsFromMetadataAndReadinessFromItsStatus() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: ns, labels: {app: p}, annotations: {a: b}}
                spec:
                  nodeName: worker-1
                  containers:
                  - name: app
                    image: img
                    env:
                    - {name: LITERAL, value: x}
                    - name: FROM_FIELD
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                status:
                  podIP: 10.1.2.3
                  conditions: [{type: Ready, status: "False"}]
                """, "pod.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.bundle().pods()).singleElement().satisfies(p -> {
            assertThat(p.spec().labels()).containsEntry("app", "p");
            assertThat(p.spec().annotations()).containsEntry("a", "b");
            assertThat(p.spec().nodeName()).isEqualTo("worker-1");
            assertThat(p.spec().containers().get(0).env()).containsOnlyKeys("LITERAL");
            assertThat(p.podIp()).isEqualTo("10.1.2.3");
            assertThat(p.ready()).isFalse();
        });
    }

    @Test
    void deploymentWithoutReplicasHasOne() {
        LoadResult r = loader.loadString("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: ns}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web, version: v1}}
                    spec: {containers: [{name: web, image: nginx}]}
                """, "deploy.yaml");

        assertThat(r.diagnostics()).isEmpty();
        assertThat(r.bundle().deployments()).singleElement().satisfies(d -> {
            assertThat(d.replicas()).isEqualTo(1);
            assertThat(d.template().labels()).containsEntry("version", "v1");
        });
    }

    @Test
    void trafficDistributionFallsBackToIstiosAnnotation() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                  annotations: {networking.istio.io/traffic-distribution: PreferClose}
                spec: {selector: {app: web}, ports: [{port: 80}]}
                """, "svc.yaml");

        // PreferClose is an alias of PreferSameZone (Istio model.GetTrafficDistribution).
        assertThat(r.bundle().services().get(0).trafficDistribution()).isEqualTo("PreferSameZone");
    }
}

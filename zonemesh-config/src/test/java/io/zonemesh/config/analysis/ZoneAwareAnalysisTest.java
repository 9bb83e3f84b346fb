package io.zonemesh.config.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zoneAwareLbSetting} needs no outlierDetection (ZONE_AWARE.md §4): analyze must not say failover is off. */
class ZoneAwareAnalysisTest {
    @TempDir
    Path dir;

    private static Path example(String relative) {
        try {
            return Path.of(ZoneAwareAnalysisTest.class
                    .getResource("/examples/" + relative)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Diagnostic> multiAzWith(String rule) throws IOException {
        LoadResult r = new ConfigLoader()
                .loadLayers(List.of(
                        example("multi-az/apps.yaml"),
                        example("multi-az/cluster.yaml"),
                        Files.writeString(dir.resolve("extra.yaml"), rule)));
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();
        return new Analyzer().analyze(r.bundle());
    }

    private static String rule(String setting) {
        return String.format(Locale.ROOT, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: helloworld, namespace: sample}
                spec:
                  host: helloworld
                  trafficPolicy:
                    loadBalancer:
                      zoneAwareLbSetting: %s
                """, setting);
    }

    @Test
    void zoneAwareRuleWithoutOutlierDetectionHasNoFailoverFinding() throws IOException {
        List<Diagnostic> findings = multiAzWith(rule("{minClusterSize: 1}"));

        assertThat(findings).extracting(Diagnostic::code).doesNotContain("ZM0201");
    }

    @Test
    void perZoneCallerDeploymentsGetSingleZoneLocalClusters() throws IOException {
        List<Diagnostic> findings = multiAzWith(rule("{minClusterSize: 1}"));

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0210");
            assertThat(d.fieldPath()).isEqualTo("spec.trafficPolicy.loadBalancer.zoneAwareLbSetting");
            assertThat(d.message())
                    .startsWith("callers [sample/sleep-az01, sample/sleep-az02] of "
                            + "helloworld.sample.svc.cluster.local each run in one zone of region 'sg'");
        });
    }

    @Test
    void fewerEndpointsThanEnvoysDefaultMinClusterSizeIsReported() throws IOException {
        List<Diagnostic> findings = multiAzWith(rule("{}"));

        assertThat(findings).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("ZM0210");
            assertThat(d.message())
                    .contains(
                            "has 2 endpoint(s) in region 'sg', fewer than minClusterSize 6 " + "(Envoy's default)",
                            "(expected: minClusterSize <= 2)");
        });
    }

    @Test
    void callersSpreadOverZonesWithEnoughEndpointsHaveNoFindings() throws IOException {
        String mesh = """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {istio-injection: enabled}}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: a, labels: {topology.kubernetes.io/region: r, topology.kubernetes.io/zone: za}}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: b, labels: {topology.kubernetes.io/region: r, topology.kubernetes.io/zone: zb}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: frontend, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: frontend}}
                  template:
                    metadata: {labels: {app: frontend}}
                    spec: {containers: [{name: c, image: curl}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: backend, namespace: shop}
                spec:
                  selector: {app: backend}
                  ports: [{port: 8080, name: http}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: backend, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: backend}}
                  template:
                    metadata: {labels: {app: backend}}
                    spec: {containers: [{name: c, image: echo, ports: [{containerPort: 8080}]}]}
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: backend, namespace: shop}
                spec:
                  host: backend
                  trafficPolicy:
                    loadBalancer:
                      zoneAwareLbSetting: {minClusterSize: 2}
                """;
        LoadResult r = new ConfigLoader().loadString(mesh, "shop.yaml");
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();

        assertThat(new Analyzer().analyze(r.bundle())).isEmpty();
    }
}

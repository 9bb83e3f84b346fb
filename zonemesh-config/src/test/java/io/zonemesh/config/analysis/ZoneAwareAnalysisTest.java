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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zoneAwareLbSetting} needs no outlierDetection (ZONE_AWARE.md §4): analyze must not say failover is off. */
class ZoneAwareAnalysisTest {
    @TempDir
    Path dir;

    private static Path example(String relative) {
        try {
            return Path.of(ZoneAwareAnalysisTest.class.getResource("/examples/" + relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Diagnostic> multiAzWith(String rule) throws IOException {
        LoadResult r = new ConfigLoader().loadLayers(List.of(example("multi-az/apps.yaml"),
                example("multi-az/cluster.yaml"), Files.writeString(dir.resolve("extra.yaml"), rule)));
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();
        return new Analyzer().analyze(r.bundle());
    }

    @Test
    void zoneAwareRuleWithoutOutlierDetectionHasNoFailoverFinding() throws IOException {
        List<Diagnostic> findings = multiAzWith("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: helloworld, namespace: sample}
                spec:
                  host: helloworld
                  trafficPolicy:
                    loadBalancer:
                      zoneAwareLbSetting: {minClusterSize: 1}
                """);

        assertThat(findings).isEmpty();
    }
}

package io.zonemesh.bench.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.bench.mesh.MeshShape;
import io.zonemesh.common.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ADS harness at a tiny size: every simulated proxy syncs and ACKs the changed EDS. */
class AdsLoadHarnessSmokeTest {

    @TempDir
    Path tmp;

    private static HarnessOptions options(int clients, int changes, boolean forked, Path histogram) {
        return new HarnessOptions(
                clients,
                new MeshShape(10, 3, 2, 1),
                changes,
                8,
                1,
                Duration.ofMillis(10),
                Duration.ofSeconds(30),
                forked,
                List.of("-Xmx256m"),
                null,
                histogram);
    }

    @Test
    void everyClientSyncsAndAcksEachEndpointChangeInProcess() throws Exception {
        AdsLoadReport report = new AdsLoadHarness(options(20, 2, false, null), Clock.system()).run();

        assertThat(report.initialSync().count()).isEqualTo(20);
        assertThat(report.changes()).hasSize(2);
        assertThat(report.changes()).allSatisfy(c -> {
            assertThat(c.ack().count()).isEqualTo(20);
            assertThat(c.ack().p50Millis())
                    .isPositive()
                    .isLessThanOrEqualTo(c.ack().maxMillis());
        });
        assertThat(report.changes()).extracting(AdsLoadReport.Change::replicas).containsExactly(3, 2);
        assertThat(report.heapMeshOnlyBytes()).isEqualTo(-1);
    }

    @Test
    void forkedControlPlaneReportsItsOwnHeapCpuAndClassHistogram() throws Exception {
        Path histogram = tmp.resolve("histogram.txt");
        AdsLoadReport report = new AdsLoadHarness(options(10, 1, true, histogram), Clock.system()).run();

        assertThat(report.changes())
                .singleElement()
                .satisfies(c -> assertThat(c.ack().count()).isEqualTo(10));
        assertThat(report.heapMeshOnlyBytes()).isPositive();
        assertThat(report.heapWithProxiesBytes()).isPositive();
        assertThat(report.controlPlaneCpuSeconds()).isPositive();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("ADS load: 10 proxies, 10 services x 3 zones x 2 endpoints")
                .contains("control plane heap after GC");
        assertThat(Files.readString(histogram))
                .contains("io.zonemesh.controlplane.ProxyStatus")
                .contains("Total");
    }
}

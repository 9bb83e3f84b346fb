package io.zonemesh.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LatencyBenchSmokeTest {

    @Test
    void measuresEveryTargetEachRoundAndTheAddedLatencyOverTheBaseline() throws Exception {
        try (TestBackend backend = new TestBackend()) {
            String addr = "127.0.0.1:" + backend.address().getPort();
            LatencyBench.Options o = LatencyBench.Options.parse(
                    "--target",
                    "direct=" + addr,
                    "--target",
                    "again=" + addr + ",host=backend.test",
                    "--cpu",
                    "self=" + ProcessHandle.current().pid(),
                    "--rate",
                    "100",
                    "--duration",
                    "0.3",
                    "--warmup",
                    "0.1",
                    "--runs",
                    "2",
                    "--connections",
                    "2");
            LatencyBench.Report report = new LatencyBench(
                            o,
                            Clock.system(),
                            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .run();

            assertThat(report.rounds()).hasSize(2);
            assertThat(report.rounds().get(0).results().get("again").ok()).isEqualTo(30);
            assertThat(report.rounds().get(1).added()).containsKey("again");
            assertThat(report.summary().get("again")).containsKeys("added_p99_ms", "p50_ms", "vcpu_per_1000rps_self");
            assertThat(report.summary().get("direct").get("failed").max()).isZero();
            assertThat(LatencyBench.json(report)).contains("\"added\"");
            assertThat(report.table()).contains("added_p50_ms");
        }
    }
}

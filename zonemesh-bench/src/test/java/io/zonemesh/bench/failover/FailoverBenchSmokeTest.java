package io.zonemesh.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FailoverBenchSmokeTest {

    @Test
    void az01ClientIsServedFromAz02AfterAz01Stops() throws Exception {
        FailoverBench.Options o = FailoverBench.Options.parse(
                "--mode",
                "retries",
                "--rate",
                "50",
                "--before",
                "0.4",
                "--after",
                "0.8",
                "--warmup",
                "0.2",
                "--runs",
                "1",
                "--connections",
                "2");
        FailoverBench.Report report = new FailoverBench(
                        o, Clock.system(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run();

        FailoverRun r = report.runs().get(0);
        assertThat(r.scheduled()).isEqualTo(60);
        assertThat(r.ok() + r.failed()).isEqualTo(60);
        assertThat(r.az02AfterStop()).isPositive();
        // Outlier detection ejects az01 on its first failure: the last 0.8 s end up all from az02.
        assertThat(r.msUntilAllAz02()).isLessThan(800);
        assertThat(report.summary().get("retries")).containsKeys("failed", "ms_until_all_az02");
        assertThat(report.table()).contains("ms_until_all_az02");
    }
}

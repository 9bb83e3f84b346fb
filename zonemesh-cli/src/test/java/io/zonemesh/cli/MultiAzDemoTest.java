package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.demo.DemoPhase;
import io.zonemesh.cli.demo.DemoReport;
import io.zonemesh.cli.demo.MultiAzDemo;
import io.zonemesh.cli.demo.ZoneCounts;
import io.zonemesh.common.RandomSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The demo's four phases over real sockets: control plane, two sidecars, three echo apps, real
 * gRPC and HTTP on 127.0.0.1. Asserts the acceptance figures of the multi-az scenario.
 */
class MultiAzDemoTest {

    @Test
    void keepsCallsInZoneFailsOverWhenTheZoneDiesAndReturnsWhenItRecovers() throws Exception {
        DemoReport report = new MultiAzDemo(200, Duration.ofSeconds(2), RandomSource.seededThreadSafe(42), null).run();

        DemoPhase a = report.phase("a");
        for (ZoneCounts c : a.clients()) {
            assertThat(c.errors()).isZero();
            assertThat(c.inZone("az01"))
                    .as("%s az01 share without a DestinationRule", c.client())
                    .isBetween(80, 120);
            assertThat(c.inZone("az02")).isBetween(80, 120);
        }

        DemoPhase b = report.phase("b");
        assertThat(b.client("sleep-az01").inZone("az01")).isEqualTo(200);
        assertThat(b.client("sleep-az02").inZone("az02")).isEqualTo(200);
        assertThat(b.clients()).allSatisfy(c -> assertThat(c.crossZonePercent()).isZero());

        ZoneCounts c1 = report.phase("c").client("sleep-az01");
        assertThat(c1.errors()).as("failed requests while az01 fails over").isLessThanOrEqualTo(1);
        assertThat(c1.inZone("az02")).isEqualTo(200 - c1.errors());
        assertThat(report.phase("c").client("sleep-az02").inZone("az02")).isEqualTo(200);

        DemoPhase d = report.phase("d");
        assertThat(d.client("sleep-az01").inZone("az01")).isEqualTo(200);
        assertThat(d.client("sleep-az02").inZone("az02")).isEqualTo(200);
    }
}

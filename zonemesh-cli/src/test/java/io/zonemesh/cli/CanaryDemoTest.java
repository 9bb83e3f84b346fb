package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.demo.CanaryDemo;
import io.zonemesh.cli.demo.DemoReport;
import io.zonemesh.cli.demo.ZoneCounts;
import io.zonemesh.common.RandomSource;
import org.junit.jupiter.api.Test;

/** examples/canary through the ingress gateway, over real sockets, with the figures. */
class CanaryDemoTest {

    @Test
    void routesByHeaderSplitsNinetyTenAbortsTenPercentAndOverflowsAFullPool() throws Exception {
        DemoReport report = new CanaryDemo(2000, RandomSource.seededThreadSafe(11), null).run();

        ZoneCounts alice = report.phase("a").clients().get(0);
        assertThat(alice.errors()).isZero();
        assertThat(alice.inZone("v1")).isEqualTo(alice.total());

        ZoneCounts split = report.phase("b").clients().get(0);
        assertThat(split.errors()).isZero();
        assertThat(split.inZone("v1")).as("90%% ±3%% of 2000").isBetween(1740, 1860);
        assertThat(split.inZone("v2")).isEqualTo(2000 - split.inZone("v1"));

        ZoneCounts v3 = report.phase("c").clients().get(0);
        int aborted = CanaryDemo.errorsWith(report, "c", "HTTP 400");
        assertThat(aborted).as("10%% ±3%% aborted with 400").isBetween(140, 260).isEqualTo(v3.errors());
        assertThat(v3.inZone("v3")).isEqualTo(2000 - aborted);

        assertThat(CanaryDemo.errorsWith(report, "d", "HTTP 503")).isPositive();
        assertThat(CanaryDemo.overflows(report)).isPositive();
    }
}

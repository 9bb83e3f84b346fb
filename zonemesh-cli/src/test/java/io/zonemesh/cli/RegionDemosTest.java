package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.demo.CrossRegionDemo;
import io.zonemesh.cli.demo.DemoReport;
import io.zonemesh.cli.demo.ExternalFailoverDemo;
import io.zonemesh.cli.demo.ZoneCounts;
import io.zonemesh.common.RandomSource;
import org.junit.jupiter.api.Test;

/** The external-failover and cross-region demos over real sockets, with the figures. */
class RegionDemosTest {

    @Test
    void externalServiceFailsOverToTheOtherRegionWithAtMostOneFailure() throws Exception {
        DemoReport report = new ExternalFailoverDemo(200, RandomSource.seededThreadSafe(7), null).run();
        ZoneCounts before = report.phase("a").client("sleep");
        assertThat(before.errors()).isZero();
        assertThat(before.inZone("us-east1")).isEqualTo(200);

        ZoneCounts after = report.phase("b").client("sleep");
        assertThat(after.errors()).isLessThanOrEqualTo(1);
        assertThat(after.inZone("us-west1")).isEqualTo(200 - after.errors());
    }

    @Test
    void distributesNinetyTenThenStaysInRegionThenFailsOverAcrossRegions() throws Exception {
        DemoReport report = new CrossRegionDemo(2000, RandomSource.seededThreadSafe(7), null).run();
        ZoneCounts split = report.phase("a").client("frontend-hangzhou");
        assertThat(split.errors()).isZero();
        assertThat(split.inZone("cn-hangzhou")).as("90%% ±3%% of 2000").isBetween(1740, 1860);
        assertThat(split.inZone("cn-shanghai")).isEqualTo(2000 - split.inZone("cn-hangzhou"));

        ZoneCounts local = report.phase("b").client("frontend-hangzhou");
        assertThat(local.inZone("cn-hangzhou")).isEqualTo(2000);

        ZoneCounts failover = report.phase("c").client("frontend-hangzhou");
        assertThat(failover.errors()).isLessThanOrEqualTo(1);
        assertThat(failover.inZone("cn-shanghai")).isEqualTo(2000 - failover.errors());
    }
}

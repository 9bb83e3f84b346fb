package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.demo.DemoPhase;
import io.zonemesh.cli.demo.DemoReport;
import io.zonemesh.cli.demo.MultiClusterDemo;
import io.zonemesh.cli.demo.ZoneCounts;
import io.zonemesh.common.RandomSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code zonemesh demo multicluster} over real sockets: two control planes, the east-west gateways'
 * SNI passthrough, mutual TLS across clusters with intermediates of one root. Asserts issue 12's
 * acceptance figures, independently of the demo's own checks (which must all hold too).
 */
class MultiClusterDemoTest {

    @Test
    void splitsOverBothClustersKeepsLocalWithFailoverCrossesTheGatewayWhenV1DiesAndReturns() throws Exception {
        DemoReport report =
                new MultiClusterDemo(200, Duration.ofSeconds(2), RandomSource.seededThreadSafe(42), null).run();

        // The demo's own checks first: on a failure, the message holds every phase's table.
        assertThat(report.failures()).as("%s", report.toText()).isEmpty();
        ZoneCounts a = report.phase("a").client("sleep");
        assertThat(a.errors()).isZero();
        assertThat(a.inZone("region1")).as("v1 share without a DestinationRule").isBetween(60, 140);
        assertThat(a.inZone("region2"))
                .as("v2 share, through cluster2's gateway")
                .isBetween(60, 140);
        assertThat(report.phase("a").notes())
                .anySatisfy(n -> assertThat(n).contains("127.0.12.2:15443 (cluster2's east-west gateway)"));

        assertThat(report.phase("b").client("sleep").inZone("region1")).isEqualTo(200);

        ZoneCounts c = report.phase("c").client("sleep");
        assertThat(c.errors()).as("failed calls while v1 fails over").isLessThanOrEqualTo(1);
        assertThat(c.inZone("region2")).isEqualTo(200 - c.errors());

        DemoPhase d = report.phase("d");
        assertThat(d.client("sleep").inZone("region1")).isEqualTo(200);
        assertThat(d.client("sleep").errors()).isZero();
    }
}

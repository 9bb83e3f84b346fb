package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.host;
import static io.zonemesh.lb.TestHosts.lb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void rejectsInvalidHostSpecs() {
        assertThatThrownBy(() -> new HostSpec("a", 70000, "r/z/", 0, 1, 1, true, ""))
                .hasMessage("port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> new HostSpec("a", 80, "r/z/", 129, 1, 1, true, ""))
                .hasMessage("priority: 129 (expected: 0..128)");
        assertThatThrownBy(() -> new HostSpec("a", 80, "r/z/", 0, -1, 1, true, ""))
                .hasMessage("localityWeight: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new HostSpec("a", 80, "r/z/", 0, 1, 0, true, ""))
                .hasMessage("weight: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new HostSpec("", 80, "r/z/", 0, 1, 1, true, ""))
                .hasMessageStartingWith("address: \"\"");
    }

    @Test
    void rejectsInvalidClusterConfig() {
        assertThatThrownBy(() -> new ClusterLbConfig(LbPolicy.RANDOM, 0, 50, false, null))
                .hasMessage("overprovisioningFactor: 0 (expected: > 0)");
        assertThatThrownBy(() -> new ClusterLbConfig(LbPolicy.RANDOM, 140, 101, false, null))
                .hasMessage("panicThresholdPercent: 101.0 (expected: 0..100)");
        assertThatThrownBy(() -> new ClusterLbConfig(LbPolicy.RANDOM, 140, Double.NaN, false, null))
                .hasMessageStartingWith("panicThresholdPercent: NaN");
    }

    @Test
    void roundsThePanicThresholdToAWholePercentAsEnvoy() {
        assertThat(new ClusterLbConfig(LbPolicy.RANDOM, 140, 49.5, false, null).panicThreshold())
                .isEqualTo(50);
        assertThat(new ClusterLbConfig(LbPolicy.RANDOM, 140, 0.4, false, null).panicThreshold())
                .isZero();
    }

    @Test
    void rejectsInvalidOutlierDetection() {
        assertThatThrownBy(() -> new OutlierDetectionConfig(
                        5,
                        101,
                        5,
                        0,
                        false,
                        5,
                        100,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(300),
                        Duration.ZERO,
                        10,
                        false))
                .hasMessage("enforcingConsecutive5xx: 101 (expected: 0..100)");
        assertThatThrownBy(() -> new OutlierDetectionConfig(
                        5,
                        100,
                        5,
                        0,
                        false,
                        5,
                        100,
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(300),
                        Duration.ZERO,
                        10,
                        false))
                .hasMessage("interval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> new OutlierDetectionConfig(
                        5,
                        100,
                        5,
                        0,
                        false,
                        5,
                        100,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(20),
                        Duration.ZERO,
                        10,
                        false))
                .hasMessage("maxEjectionTime: PT20S (expected: >= baseEjectionTime PT30S)");
        assertThatThrownBy(() -> OutlierDetectionConfig.ENVOY_DEFAULTS.withFailurePercentage(85, 0, 0, -1, 50))
                .hasMessage("failurePercentageMinimumHosts: -1 (expected: >= 0)");
    }

    @Test
    void envoyDefaultsMatchTheDocumentedTable() {
        OutlierDetectionConfig d = OutlierDetectionConfig.ENVOY_DEFAULTS;

        assertThat(d.consecutive5xx()).isEqualTo(5);
        assertThat(d.enforcingConsecutiveGatewayFailure()).isZero();
        assertThat(d.maxEjectionPercent()).isEqualTo(10);
        assertThat(d.failurePercentageThreshold()).isEqualTo(85);
        assertThat(d.enforcingFailurePercentage()).isZero();
        assertThat(d.failurePercentageMinimumHosts()).isEqualTo(5);
        assertThat(d.failurePercentageRequestVolume()).isEqualTo(50);
    }

    @Test
    void rejectsDuplicateHostsAndKeepsThePreviousMembership() {
        FakeClock clock = new FakeClock();
        ClusterLoadBalancer lb =
                lb(config(LbPolicy.ROUND_ROBIN, 0, false, null), List.of(host("a", "r/z/", 0)), clock, 1);

        assertThatThrownBy(() -> lb.update(
                        config(LbPolicy.ROUND_ROBIN, 0, false, null),
                        List.of(host("b", "r/z/", 0), host("b", "r/z/", 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate b:8080|r/z/|P0");
        assertThat(lb.chooseHost(0, Set.of()).spec().address()).isEqualTo("a");
    }
}

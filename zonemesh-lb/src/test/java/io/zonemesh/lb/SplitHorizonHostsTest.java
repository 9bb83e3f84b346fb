package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.config;
import static io.zonemesh.lb.TestHosts.lb;
import static io.zonemesh.lb.TestHosts.pickCounts;
import static io.zonemesh.lb.TestHosts.pickCountsByLocality;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zonemesh.common.FakeClock;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One east-west gateway address listed once per remote locality it fronts (split-horizon EDS,
 * zonemesh's fix for istio#56355): each listing is its own host with its locality's weight,
 * and the listings share one outlier state.
 */
class SplitHorizonHostsTest {
    private final FakeClock clock = new FakeClock();
    private DefaultClusterLoadBalancer lb;

    @AfterEach
    void close() {
        if (lb != null) {
            lb.close();
        }
    }

    private static HostSpec gateway(String address, String locality, int priority, int localityWeight) {
        return new HostSpec(address, 15443, locality, priority, localityWeight, 1, true, "");
    }

    private static OutlierDetectionConfig consecutiveGatewayFailures(int n) {
        return new OutlierDetectionConfig(
                n,
                100,
                n,
                100,
                false,
                5,
                100,
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ZERO,
                100,
                false);
    }

    private static Host hostIn(ClusterLoadBalancer lb, String locality) {
        for (int i = 0; i < 100; i++) {
            Host host = lb.chooseHost(0, Set.of());
            if (host != null && host.spec().locality().equals(locality)) {
                return host;
            }
        }
        throw new AssertionError("no host in " + locality);
    }

    @Test
    void oneGatewayInTwoLocalitiesBalancesByTheLocalityWeights() {
        lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, true, null),
                List.of(gateway("127.0.0.9", "r2/z1/", 0, 3), gateway("127.0.0.9", "r2/z2/", 0, 1)),
                clock,
                7);

        Map<String, Integer> counts = pickCountsByLocality(lb, 4000);

        assertThat(counts).containsOnlyKeys("r2/z1/", "r2/z2/");
        assertThat(counts.get("r2/z1/") / 4000.0).isCloseTo(0.75, within(0.03));
        assertThat(lb.status()).hasSize(2);
    }

    @Test
    void aDeadGatewayIsEjectedInAllItsLocalitiesAndTrafficFailsOver() {
        lb = lb(
                config(LbPolicy.ROUND_ROBIN, 0, true, consecutiveGatewayFailures(2)),
                List.of(
                        gateway("127.0.0.9", "r2/z1/", 0, 1),
                        gateway("127.0.0.9", "r2/z2/", 0, 1),
                        gateway("127.0.0.10", "r3/z1/", 1, 1)),
                clock,
                7);
        Host inZ1 = hostIn(lb, "r2/z1/");
        Host inZ2 = hostIn(lb, "r2/z2/");
        assertThat(inZ1).isNotSameAs(inZ2);

        lb.onLocalOriginFailure(inZ1, LocalOriginFailure.CONNECT_FAILED);
        lb.onLocalOriginFailure(inZ2, LocalOriginFailure.CONNECT_FAILED);

        assertThat(inZ1.ejected()).isTrue();
        assertThat(inZ2.ejected()).isTrue();
        assertThat(pickCounts(lb, 100, h -> h.spec().key())).containsOnlyKeys("127.0.0.10:15443");
    }

    @Test
    void updatesKeepTheSharedOutlierStateWhileTheAddressStays() {
        List<HostSpec> both = List.of(gateway("127.0.0.9", "r2/z1/", 0, 1), gateway("127.0.0.9", "r2/z2/", 0, 1));
        lb = lb(config(LbPolicy.ROUND_ROBIN, 0, true, consecutiveGatewayFailures(1)), both, clock, 7);
        lb.onLocalOriginFailure(hostIn(lb, "r2/z1/"), LocalOriginFailure.CONNECT_FAILED);

        lb.update(
                config(LbPolicy.ROUND_ROBIN, 0, true, consecutiveGatewayFailures(1)),
                List.of(gateway("127.0.0.9", "r2/z2/", 0, 1), gateway("127.0.0.9", "r2/z3/", 0, 1)));

        assertThat(lb.status()).hasSize(2).allMatch(ClusterLoadBalancer.HostStatus::ejected);
    }
}

package io.zonemesh.lb;

import static io.zonemesh.lb.ZoneAwareRoutingTest.balancer;
import static io.zonemesh.lb.ZoneAwareRoutingTest.lbConfig;
import static io.zonemesh.lb.ZoneAwareRoutingTest.locality;
import static io.zonemesh.lb.ZoneAwareRoutingTest.zoneConfig;
import static io.zonemesh.lb.ZoneAwareRoutingTest.zones;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.RandomSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Zone-aware routing's fallbacks and the {@code lb_zone_*} stats, with Envoy's random sequences. */
class ZoneAwareStatsTest {

    /** Envoy's mocked {@code random()}: scripted values, reduced modulo the bound as Envoy does. */
    static final class ScriptedRandom implements RandomSource {
        private final Deque<Long> values = new ArrayDeque<>();

        ScriptedRandom then(long... next) {
            for (long v : next) {
                values.add(v);
            }
            return this;
        }

        @Override
        public int nextInt(int bound) {
            return (int) Long.remainderUnsigned(next(), bound);
        }

        @Override
        public long nextLong(long bound) {
            return Long.remainderUnsigned(next(), bound);
        }

        @Override
        public double nextDouble() {
            return 0;
        }

        private long next() {
            return values.isEmpty() ? 0 : values.poll();
        }
    }

    @Test
    void residualPicksDrawPriorityThenLocalSampleThenZoneAsEnvoyTests() {
        // ZONE_AWARE.md §3 row 1: local share 6250 bp, residual 0/1000/1500.
        ScriptedRandom random = new ScriptedRandom();
        DefaultClusterLoadBalancer lb =
                balancer(lbConfig(zoneConfig(1, -1, false), "A", "A2 B2 C1"), zones("up", "A1 B2 C1"), random);

        random.then(0, 6249); // priority, sample < 6250: stays in A
        Host local = lb.chooseHost(0, Set.of());
        random.then(0, 6250, 999); // leaves A, threshold 999 < 1000: B
        Host b = lb.chooseHost(0, Set.of());
        random.then(0, 9999, 1000); // threshold 1000: C
        Host c = lb.chooseHost(0, Set.of());

        assertThat(local.spec().locality()).isEqualTo(locality("A"));
        assertThat(b.spec().locality()).isEqualTo(locality("B"));
        assertThat(c.spec().locality()).isEqualTo(locality("C"));
        ZoneRoutingStats stats = lb.stats().zoneRouting();
        assertThat(stats.zoneRoutingSampled()).isEqualTo(1);
        assertThat(stats.zoneRoutingCrossZone()).isEqualTo(2);
        assertThat(stats.zoneRoutingAllDirectly()).isZero();
        assertThat(stats.recalculateZoneStructures()).isEqualTo(1);
    }

    @Test
    void lowPrecisionLeavesNoCapacityAndTakesRandomZone() {
        // LowPrecisionForDistribution: local A45000 B55000, upstream A44999 B55001.
        ScriptedRandom random = new ScriptedRandom();
        DefaultClusterLoadBalancer lb = balancer(
                lbConfig(zoneConfig(6, -1, false), "A", "A45000 B55000"), zones("up", "A44999 B55001"), random);
        assertThat(lb.snapshot().zoneRouting().plan().localPercentToRoute()).isEqualTo(9997);

        random.then(0, 9997, 1); // leaves A; no residual anywhere: random zone 1 % 2 = B
        Host host = lb.chooseHost(0, Set.of());

        assertThat(host.spec().locality()).isEqualTo(locality("B"));
        assertThat(lb.stats().zoneRouting().zoneRoutingCrossZone()).isEqualTo(1);
        assertThat(lb.stats().zoneRouting().zoneNoCapacityLeft()).isEqualTo(1);
    }

    @Test
    void directRoutingCountsEveryPick() {
        DefaultClusterLoadBalancer lb = balancer(
                lbConfig(zoneConfig(3, -1, false), "A", "A1 B1 C1"), zones("up", "A1 B1 C1"), RandomSource.seeded(3));

        Map<String, Integer> counts = TestHosts.pickCountsByLocality(lb, 50);

        assertThat(counts).containsExactly(Map.entry(locality("A"), 50));
        assertThat(lb.stats().zoneRouting().zoneRoutingAllDirectly()).isEqualTo(50);
    }

    @Test
    void tooSmallClusterBalancesOverAllZonesAndCountsOncePerRebuild() {
        DefaultClusterLoadBalancer lb = balancer(
                lbConfig(zoneConfig(7, -1, false), "A", "A1 B1 C1"), zones("up", "A1 B1 C1"), RandomSource.seeded(3));

        Map<String, Integer> counts = TestHosts.pickCountsByLocality(lb, 30);

        assertThat(counts).containsOnlyKeys(locality("A"), locality("B"), locality("C"));
        assertThat(lb.stats().zoneRouting().zoneClusterTooSmall()).isEqualTo(1);
        assertThat(lb.stats().zoneRouting().recalculateZoneStructures()).isEqualTo(1);
        assertThat(lb.stats().zoneRouting().zoneRoutingAllDirectly()).isZero();
    }

    @Test
    void recalculatesOnlyWhenPriorityZeroOrLocalClusterChanges() {
        ClusterLbConfig config = lbConfig(zoneConfig(1, -1, false), "A", "A1 B1");
        List<HostSpec> hosts = new ArrayList<>(zones("up", "A1 B1"));
        hosts.add(new HostSpec("p1", 8080, locality("C"), 1, 1, 1, true, ""));
        DefaultClusterLoadBalancer lb = balancer(config, hosts, RandomSource.seeded(3));

        lb.update(config, hosts.subList(0, 2)); // only P1 changed
        assertThat(lb.stats().zoneRouting().recalculateZoneStructures()).isEqualTo(1);
        lb.update(lbConfig(zoneConfig(1, -1, false), "A", "A2 B1"), hosts.subList(0, 2)); // local cluster
        assertThat(lb.stats().zoneRouting().recalculateZoneStructures()).isEqualTo(2);
        lb.update(config, zones("up", "A1 B2")); // P0 changed
        assertThat(lb.stats().zoneRouting().recalculateZoneStructures()).isEqualTo(3);
    }

    @Test
    void noLocalLocalityCountsLocalClusterNotOk() {
        DefaultClusterLoadBalancer lb = balancer(
                lbConfig(zoneConfig(1, -1, false), "A", "B1 C1"), zones("up", "A1 B1 C1"), RandomSource.seeded(3));

        assertThat(lb.stats().zoneRouting().localClusterNotOk()).isEqualTo(1);
        assertThat(TestHosts.pickCountsByLocality(lb, 30)).hasSize(3);
    }

    @Test
    void routingDisabledBalancesOverAllHealthyHosts() {
        ZoneAwareLbConfig off =
                new ZoneAwareLbConfig(0, 1, false, false, 0, ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_NUM);
        DefaultClusterLoadBalancer lb =
                balancer(lbConfig(off, "A", "A1 B1 C1"), zones("up", "A1 B1 C1"), RandomSource.seeded(3));

        assertThat(lb.snapshot().zoneRouting().plan().state()).isEqualTo(ZoneRoutingPlan.State.LOCALITY_DIRECT);
        assertThat(TestHosts.pickCountsByLocality(lb, 30))
                .containsOnly(Map.entry(locality("A"), 10), Map.entry(locality("B"), 10), Map.entry(locality("C"), 10));
        assertThat(lb.stats().zoneRouting().zoneRoutingAllDirectly()).isZero();
    }

    @Test
    void localClusterInPanicFallsBackOrFailsTraffic() {
        // Local cluster: 1 of 4 hosts healthy (25 % < 50 %); the proxy's zone A still has a healthy one.
        List<HostSpec> local = new ArrayList<>(zones("local", "A1 B0 C0"));
        local.add(new HostSpec("local-D", 8080, locality("D"), 0, 1, 1, false, ""));
        for (boolean failTraffic : new boolean[] {false, true}) {
            ZoneAwareLbConfig zone = new ZoneAwareLbConfig(
                    100, 1, failTraffic, false, 0, ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_NUM);
            ClusterLbConfig config = new ClusterLbConfig(
                    LbPolicy.ROUND_ROBIN,
                    140,
                    50,
                    false,
                    null,
                    HashConfig.ENVOY_DEFAULTS,
                    zone,
                    new LocalCluster(locality("A"), local));
            DefaultClusterLoadBalancer lb = balancer(config, zones("up", "A1 B1 C1"), RandomSource.seeded(3));

            Map<String, Integer> counts = TestHosts.pickCountsByLocality(lb, 30);

            assertThat(counts)
                    .as("fail_traffic_on_panic " + failTraffic)
                    .isEqualTo(
                            failTraffic
                                    ? Map.of("none", 30)
                                    : Map.of(locality("A"), 10, locality("B"), 10, locality("C"), 10));
            assertThat(lb.stats().zoneRouting().localClusterNotOk()).isEqualTo(30);
        }
    }

    @Test
    void failTrafficOnPanicFailsPicksOfPriorityInPanic() {
        ZoneAwareLbConfig zone =
                new ZoneAwareLbConfig(100, 6, true, false, 0, ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_NUM);
        ClusterLbConfig config =
                new ClusterLbConfig(LbPolicy.ROUND_ROBIN, 140, 50, false, null, HashConfig.ENVOY_DEFAULTS, zone, null);
        List<HostSpec> hosts = List.of(
                TestHosts.host("h1", locality("A"), 0),
                TestHosts.unhealthy("h2", locality("A"), 0),
                TestHosts.unhealthy("h3", locality("A"), 0));

        DefaultClusterLoadBalancer lb = balancer(config, hosts, RandomSource.seeded(3));

        assertThat(lb.chooseHost(0, Set.of())).isNull();
        assertThat(lb.stats().healthyPanic()).isEqualTo(1);
    }

    @Test
    void withoutLocalClusterNothingIsZoneAware() {
        ClusterLbConfig config = new ClusterLbConfig(LbPolicy.ROUND_ROBIN, 140, 50, false, null);
        DefaultClusterLoadBalancer lb = balancer(config, zones("up", "A1 B1 C1"), RandomSource.seeded(3));

        assertThat(lb.snapshot().zoneRouting()).isNull();
        assertThat(TestHosts.pickCountsByLocality(lb, 30)).hasSize(3);
        assertThat(lb.stats().zoneRouting()).isEqualTo(ZoneRoutingStats.EMPTY);
    }
}

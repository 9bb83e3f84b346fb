package io.zonemesh.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.xds.XdsResources;
import org.junit.jupiter.api.Test;

/** Each JMH benchmark method once on a 10-service mesh: they run and compute what they claim to. */
class BenchmarksSmokeTest {

    @Test
    void groupGenerationProducesEveryServicesClusterAndAssignment() {
        GroupGenerationBenchmark b = new GroupGenerationBenchmark();
        b.services = 10;
        b.zones = 3;
        b.endpointsPerZone = 2;
        b.setup();

        XdsResources group = b.outboundForGroup();
        assertThat(group.clusters()).hasSize(10);
        assertThat(group.endpoints()).hasSize(10);
        assertThat(group.listeners()).hasSize(1);
        for (ClusterLoadAssignment cla : group.endpoints()) {
            assertThat(cla.getEndpointsList().stream()
                            .mapToInt(LocalityLbEndpoints::getLbEndpointsCount)
                            .sum())
                    .isEqualTo(6);
        }
        XdsResources whole = b.wholeProxyUncached();
        assertThat(whole.clusters()).hasSize(11);
        assertThat(whole.listeners()).hasSize(2);
    }

    @Test
    void pushBenchmarksRunTheControlPlanePushPath() {
        ProxyPushBenchmark b = new ProxyPushBenchmark();
        b.services = 10;
        b.zones = 3;
        b.endpointsPerZone = 2;
        b.setup();

        b.firstProxyOfGroup();
        b.secondProxyOfGroup();
        assertThat(b.pushedBothProxies()).isTrue();
        // Outbound listener, inbound listener, one route, 10 outbound + 1 inbound cluster, 10 assignments.
        assertThat(b.secondProxyResourcesOnly()).isEqualTo(2 + 1 + 11 + 10);
        assertThat(b.endpointsVersionHash()).hasSize(12);
    }

    @Test
    void thresholdCrossingEjectsTheVictimOnBothOwners() throws Exception {
        for (String owner : new String[] {"posted", "direct"}) {
            ThresholdCrossingBenchmark b = new ThresholdCrossingBenchmark();
            b.owner = owner;
            b.policy = io.zonemesh.lb.LbPolicy.MAGLEV;
            b.hosts = 10;
            b.setup();
            try {
                b.reset();
                assertThat(b.victimEjected()).isFalse();
                b.crossThreshold();
                assertThat(b.victimEjected()).as(owner).isTrue();
                b.reset();
                assertThat(b.victimEjected()).as("reset unejects").isFalse();
            } finally {
                b.tearDown();
            }
        }
    }
}

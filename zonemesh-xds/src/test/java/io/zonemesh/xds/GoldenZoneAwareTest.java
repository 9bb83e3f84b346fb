package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code zoneAwareLbSetting} on the multi-az mesh: the cluster's zone_aware_lb_config and the local_cluster. */
class GoldenZoneAwareTest {
    private final XdsGenerator generator = new XdsGenerator();

    static DestinationRuleConfig zoneAwareRule(ZoneAwareLbSetting setting) {
        TrafficPolicy policy = new TrafficPolicy(
                new LoadBalancerSettings(null, null, null, null, setting), null, null, null, List.of());
        return new DestinationRuleConfig(
                Fixtures.meta("DestinationRule", "sample", "helloworld", Map.of()),
                MultiAzMesh.HELLO,
                policy,
                List.of(),
                List.of(),
                null);
    }

    private static Cluster cluster(XdsResources resources, String name) {
        return resources.clusters().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void zoneAwareRuleGivesTheClusterItsConfigAndTheSidecarALocalCluster() throws Exception {
        MeshState state = MultiAzMesh.state(zoneAwareRule(new ZoneAwareLbSetting(null, List.of(), List.of(), 1L)));

        GoldenFiles.assertMatches(
                "multi-az/zone-aware-sleep-az01.json",
                XdsJson.print(generator.generate(state, MultiAzMesh.sleep(state, "az01"))));
    }

    @Test
    void disabledZoneAwareRoutingSetsRoutingEnabledToZeroAndSendsNoLocalCluster() {
        MeshState state = MultiAzMesh.state(zoneAwareRule(new ZoneAwareLbSetting(false, List.of(), List.of(), 3L)));

        XdsResources out = generator.generate(state, MultiAzMesh.sleep(state, "az01"));

        Cluster.CommonLbConfig common =
                cluster(out, "outbound|5000||" + MultiAzMesh.HELLO).getCommonLbConfig();
        assertThat(common.getZoneAwareLbConfig().getRoutingEnabled().getValue()).isZero();
        assertThat(common.getZoneAwareLbConfig().getMinClusterSize().getValue()).isEqualTo(3);
        assertThat(out.clusters()).extracting(Cluster::getName).doesNotContain(LocalClusterGenerator.NAME);
    }

    @Test
    void localClusterHoldsTheProxysOwnWorkloadInItsRegion() {
        MeshState state = MultiAzMesh.state(zoneAwareRule(new ZoneAwareLbSetting(true, List.of(), List.of(), null)));

        XdsResources out = generator.inbound(state, MultiAzMesh.sleep(state, "az02"));

        assertThat(out.endpoints()).singleElement().satisfies(cla -> {
            assertThat(cla.getClusterName()).isEqualTo(LocalClusterGenerator.NAME);
            // sleep-az01 and sleep-az02 are separate Deployments: only the proxy's own is its workload.
            assertThat(cla.getEndpointsList()).singleElement().satisfies(lle -> {
                assertThat(lle.getLocality().getZone()).isEqualTo("az02");
                assertThat(lle.getLbEndpoints(0)
                                .getEndpoint()
                                .getAddress()
                                .getSocketAddress()
                                .getAddress())
                        .isEqualTo("10.244.2.10");
            });
        });
    }
}

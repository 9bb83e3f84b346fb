package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.model.Locality;
import io.zonemesh.xds.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadAssignmentRendererTest {
    private static final List<LocalityGroup> SPLIT = List.of(
            LocalityGroup.of(Locality.parse("r/z/s"), List.of(endpoint("10.0.0.1", "r/z/s"))),
            LocalityGroup.of(Locality.parse("r/y"), List.of(endpoint("10.0.0.3", "r/y")))
                    .withPriority(1),
            LocalityGroup.of(Locality.parse("r/z/s"), List.of(endpoint("10.0.0.2", "r/z/s")))
                    .withPriority(2));

    @Test
    void rendersPriorityWeightAndEndpointFields() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(Fixtures.endpoint(
                Fixtures.HELLO, 5000, "10.0.0.1", "r/z/s", Map.of(), io.zonemesh.model.HealthStatus.UNHEALTHY, 3)));

        ClusterLoadAssignment cla = LoadAssignmentRenderer.render("outbound|5000||h", groups, false);

        assertThat(cla.getClusterName()).isEqualTo("outbound|5000||h");
        LocalityLbEndpoints lle = cla.getEndpoints(0);
        assertThat(lle.getLocality().getRegion()).isEqualTo("r");
        assertThat(lle.getLocality().getZone()).isEqualTo("z");
        assertThat(lle.getLocality().getSubZone()).isEqualTo("s");
        assertThat(lle.getPriority()).isZero();
        assertThat(lle.hasLoadBalancingWeight()).isTrue();
        assertThat(lle.getLoadBalancingWeight().getValue()).isEqualTo(3);
        LbEndpoint lb = lle.getLbEndpoints(0);
        assertThat(lb.getEndpoint().getAddress().getSocketAddress().getAddress())
                .isEqualTo("10.0.0.1");
        assertThat(lb.getEndpoint().getAddress().getSocketAddress().getPortValue())
                .isEqualTo(5000);
        assertThat(lb.getHealthStatus()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(lb.getLoadBalancingWeight().getValue()).isEqualTo(3);
        assertThat(lb.getMetadata()
                        .getFilterMetadataOrThrow("istio")
                        .getFieldsOrThrow("workload")
                        .getStringValue())
                .isEqualTo("pod-10.0.0.1");
    }

    @Test
    void givesRepeatedLocalitiesADistinctSubZoneForClientsWithoutOverprovisioning() {
        ClusterLoadAssignment cla = LoadAssignmentRenderer.render("c", SPLIT, true);

        assertThat(cla.getEndpointsList())
                .extracting(e -> e.getLocality().getSubZone())
                .containsExactly("s~p0", "", "s~p2");
        assertThat(cla.getEndpointsList())
                .extracting(e -> e.getLocality().getZone())
                .containsExactly("z", "y", "z");
    }

    @Test
    void keepsRepeatedLocalitiesAsTheyAreForEnvoy() {
        ClusterLoadAssignment cla = LoadAssignmentRenderer.render("c", SPLIT, false);

        assertThat(cla.getEndpointsList())
                .extracting(e -> e.getLocality().getSubZone())
                .containsExactly("s", "", "s");
        assertThat(cla.getEndpointsList())
                .extracting(LocalityLbEndpoints::getPriority)
                .containsExactly(0, 1, 2);
    }
}

package io.zonemesh.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.registry.MeshRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticMeshTest {
    private static final MeshShape SMALL = new MeshShape(12, 3, 4, 2);

    @Test
    void registryPlansOneEndpointPerReplicaInEveryZoneOfEveryService() {
        MeshState state = MeshRegistry.synthetic(MeshSettings.DEFAULT, SyntheticMesh.bundle(SMALL))
                .state();

        assertThat(state.services()).hasSize(12);
        assertThat(state.endpointsByHost().values()).allSatisfy(eps -> {
            assertThat(eps).hasSize(12);
            Map<String, Long> byZone =
                    eps.stream().collect(Collectors.groupingBy(e -> e.locality().zone(), Collectors.counting()));
            assertThat(byZone).containsOnly(Map.entry("az01", 4L), Map.entry("az02", 4L), Map.entry("az03", 4L));
        });
        assertThat(state.workloads()).hasSize(SMALL.endpoints());
    }

    @Test
    void scaledChangesOnlyTheNamedDeployment() {
        MeshConfigBundle bundle = SyntheticMesh.bundle(SMALL);
        MeshConfigBundle scaled = SyntheticMesh.scaled(bundle, "svc-0003-az02", 5);

        assertThat(scaled.deployments()).hasSameSizeAs(bundle.deployments());
        assertThat(scaled.deployments())
                .allSatisfy(
                        d -> assertThat(d.replicas()).isEqualTo(d.meta().name().equals("svc-0003-az02") ? 5 : 4));
        assertThatThrownBy(() -> SyntheticMesh.scaled(bundle, "nope", 1))
                .hasMessage("deployment: nope (expected: one of the mesh's)");
    }

    @Test
    void rejectsMoreNamespacesThanServices() {
        assertThatThrownBy(() -> new MeshShape(2, 3, 1, 3)).hasMessage("namespaces: 3 (expected: at most services, 2)");
    }

    @Test
    void proxiesSpreadEvenlyOverZonesAndAnnounceTheirPodAsXdsShapesSays() {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, SyntheticMesh.bundle(SMALL));
        List<PodInstance> pods = ProxyNodes.spreadOverZones(registry.pods(), 30);

        assertThat(pods).doesNotHaveDuplicates();
        assertThat(pods.stream().collect(Collectors.groupingBy(p -> p.locality().zone(), Collectors.counting())))
                .containsOnly(Map.entry("az01", 10L), Map.entry("az02", 10L), Map.entry("az03", 10L));
        assertThat(pods.stream().map(PodInstance::owner).distinct().count()).isGreaterThan(20);

        PodInstance pod = pods.get(0);
        Node node = ProxyNodes.of(pod);
        assertThat(node.getId()).isEqualTo(pod.name() + "." + pod.namespace());
        assertThat(node.getCluster()).isEqualTo(pod.owner() + "." + pod.namespace());
        assertThat(node.getLocality().getZone()).isEqualTo(pod.locality().zone());
        assertThat(node.getMetadata().getFieldsOrThrow("NAMESPACE").getStringValue())
                .isEqualTo(pod.namespace());
        assertThat(node.getMetadata().getFieldsOrThrow("NAME").getStringValue()).isEqualTo(pod.name());
        assertThat(node.getMetadata().getFieldsOrThrow("PROXY_TYPE").getStringValue())
                .isEqualTo("sidecar");
        assertThat(node.getMetadata()
                        .getFieldsOrThrow("LABELS")
                        .getStructValue()
                        .getFieldsOrThrow("app")
                        .getStringValue())
                .isEqualTo(pod.labels().get("app"));
    }

    @Test
    void refusesMoreProxiesThanSidecarPods() {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, SyntheticMesh.bundle(SMALL));

        assertThatThrownBy(() -> ProxyNodes.spreadOverZones(registry.pods(), SMALL.endpoints() + 1))
                .hasMessage("count: 145 (expected: at most the mesh's 144 sidecar pods)");
    }
}

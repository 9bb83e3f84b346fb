package io.zonemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.placement.SidecarInjection;
import io.zonemesh.config.placement.TopologyLabels;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshRegistryTest {

    @Test
    void aListenerThatThrowsDoesNotKeepTheOthersFromTheNewState() {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, Bundles.multiAz());
        List<Long> seen = new ArrayList<>();
        registry.addListener(state -> seen.add(state.version()));
        registry.addListener(state -> {
            throw new IllegalStateException("listener bug");
        });
        registry.addListener(state -> seen.add(state.version()));

        MeshState next = registry.apply(Bundles.multiAz());

        assertThat(registry.state()).isSameAs(next);
        assertThat(seen).containsExactly(next.version(), next.version());
    }

    @Test
    void placesEachReplicaOnTheNodeItsSelectorPicksAndTakesItsLocality() {
        MeshState state =
                MeshRegistry.synthetic(MeshSettings.DEFAULT, Bundles.multiAz()).state();
        assertThat(state.workloads()).hasSize(5);
        for (Workload w : state.workloads()) {
            String zone = w.owner().endsWith("az01") ? "az01" : "az02";
            assertThat(w.locality()).isEqualTo(new Locality("sg", zone, ""));
            assertThat(w.nodeName()).isEqualTo(zone.equals("az01") ? "cluster1-worker" : "cluster1-worker2");
            assertThat(w.name())
                    .matches(w.owner() + "-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}");
        }
    }

    @Test
    void podNamesAreStableAndDistinct() {
        List<String> first = names(
                MeshRegistry.synthetic(MeshSettings.DEFAULT, Bundles.multiAz()).state());
        List<String> second = names(
                MeshRegistry.synthetic(MeshSettings.DEFAULT, Bundles.multiAz()).state());
        assertThat(first).isEqualTo(second).doesNotHaveDuplicates();
    }

    @Test
    void servicesGetEndpointsFromSelectedPodsWithLocalityAndSidecarFlag() {
        MeshState state =
                MeshRegistry.synthetic(MeshSettings.DEFAULT, Bundles.multiAz()).state();
        Service hello = state.service("helloworld.sample.svc.cluster.local");
        assertThat(hello).isNotNull();
        assertThat(hello.resolution()).isEqualTo(Service.Resolution.EDS);
        List<Endpoint> eps = state.endpoints(hello.hostname(), 5000);
        assertThat(eps).hasSize(3);
        assertThat(eps).allSatisfy(e -> {
            assertThat(e.sidecar()).isFalse();
            assertThat(e.port()).isEqualTo(5000);
            assertThat(e.address()).matches("198\\.1[89]\\.\\d+\\.\\d+");
            assertThat(e.health()).isEqualTo(HealthStatus.HEALTHY);
        });
        assertThat(eps).extracting(e -> e.locality().zone()).containsExactlyInAnyOrder("az01", "az02", "az02");
        assertThat(state.endpoints("sleep.sample.svc.cluster.local", 80)).allMatch(Endpoint::sidecar);
    }

    @Test
    void syntheticPodAddressesDoNotMoveWhenAnotherDeploymentScales() {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, Bundles.multiAz());
        Map<String, String> before = addresses(registry.state());
        var b = registry.bundle();
        var scaled = b.deployments().stream()
                .map(d -> d.meta().name().equals("helloworld-az01")
                        ? new io.zonemesh.config.k8s.K8sDeployment(
                                d.meta(), d.replicas() + 3, d.matchLabels(), d.template())
                        : d)
                .toList();
        Map<String, String> after = addresses(registry.apply(new io.zonemesh.config.MeshConfigBundle(
                b.namespaces(), b.nodes(), b.services(), scaled, b.pods(), b.istio())));
        assertThat(after).hasSize(before.size() + 3).containsAllEntriesOf(before);
        assertThat(new java.util.HashSet<>(after.values())).hasSize(after.size());
    }

    private static Map<String, String> addresses(MeshState state) {
        Map<String, String> out = new java.util.HashMap<>();
        state.workloads().forEach(w -> out.put(w.name(), w.address()));
        return out;
    }

    @Test
    void publishesANewVersionToListenersOnApply() {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, Bundles.multiAz());
        List<Long> seen = new ArrayList<>();
        registry.addListener(s -> seen.add(s.version()));
        registry.apply(Bundles.multiAz());
        registry.refresh();
        assertThat(seen).containsExactly(2L, 3L);
    }

    @Test
    void podLocalityLabelOverridesTheNode() {
        assertThat(TopologyLabels.ofPodLabels(Map.of("topology.istio.io/locality", "us-east1.b.rack7")))
                .isEqualTo(new Locality("us-east1", "b", "rack7"));
        assertThat(TopologyLabels.ofPodLabels(Map.of("istio-locality", "r/z"))).isEqualTo(new Locality("r", "z", ""));
        assertThat(TopologyLabels.ofPodLabels(Map.of())).isNull();
        assertThat(TopologyLabels.ofNode(
                        Map.of("failure-domain.beta.kubernetes.io/region", "old", "topology.kubernetes.io/zone", "z1")))
                .isEqualTo(new Locality("old", "z1", ""));
    }

    @Test
    void injectionFollowsIstioWebhookDefaults() {
        Map<String, String> enabled = Map.of("istio-injection", "enabled");
        assertThat(SidecarInjection.injected(enabled, Map.of(), Map.of())).isTrue();
        assertThat(SidecarInjection.injected(enabled, Map.of(), Map.of("sidecar.istio.io/inject", "false")))
                .isFalse();
        assertThat(SidecarInjection.injected(enabled, Map.of("sidecar.istio.io/inject", "false"), Map.of()))
                .isFalse();
        assertThat(SidecarInjection.injected(Map.of("istio.io/rev", "canary"), Map.of(), Map.of()))
                .isTrue();
        assertThat(SidecarInjection.injected(Map.of(), Map.of(), Map.of("sidecar.istio.io/inject", "true")))
                .isFalse();
        assertThat(SidecarInjection.injected(Map.of(), Map.of("sidecar.istio.io/inject", "true"), Map.of()))
                .isTrue();
        assertThat(SidecarInjection.injected(
                        Map.of("istio-injection", "disabled"), Map.of("sidecar.istio.io/inject", "true"), Map.of()))
                .isFalse();
    }

    private static List<String> names(MeshState s) {
        List<String> out = new ArrayList<>();
        s.workloads().forEach(w -> out.add(w.name()));
        return out;
    }
}

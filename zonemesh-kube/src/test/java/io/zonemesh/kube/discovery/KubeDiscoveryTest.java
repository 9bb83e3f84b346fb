package io.zonemesh.kube.discovery;

import static io.zonemesh.kube.discovery.ClusterObjects.NS;
import static io.zonemesh.kube.discovery.ClusterObjects.endpoint;
import static io.zonemesh.kube.discovery.ClusterObjects.node;
import static io.zonemesh.kube.discovery.ClusterObjects.pod;
import static io.zonemesh.kube.discovery.ClusterObjects.service;
import static io.zonemesh.kube.discovery.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.DestinationRuleBuilder;
import io.fabric8.istio.api.telemetry.v1.TelemetryBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.zonemesh.common.Clock;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.registry.MeshRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubeDiscoveryTest {
    private static final String HOST = "helloworld.sample.svc.cluster.local";
    private static final Duration WAIT = Duration.ofSeconds(20);

    KubernetesMockServer server;
    KubernetesClient client;
    private MeshRegistry registry;
    private KubeDiscovery discovery;

    @BeforeEach
    void cluster() throws Exception {
        ClusterObjects.registerIstioKinds(server);
        client.resource(ClusterObjects.namespace()).create();
        client.resource(node("node-a", "sg", "az01")).create();
        client.resource(node("node-b", "sg", "az02")).create();
        client.resource(service("helloworld", 5000)).create();
        client.resource(pod("hw-a", "helloworld", "v1", "node-a", "10.0.0.1")).create();
        client.resource(pod("hw-b", "helloworld", "v2", "node-b", "10.0.0.2")).create();
        client.resource(slice(
                        "helloworld-x1",
                        "helloworld",
                        5000,
                        List.of(
                                endpoint("hw-a", "10.0.0.1", "node-a", true, false),
                                endpoint("hw-b", "10.0.0.2", "node-b", true, false))))
                .create();
        registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, MeshConfigBundle.EMPTY);
        discovery = new KubeDiscovery(client, registry, Clock.system());
        discovery.start(WAIT);
    }

    @AfterEach
    void stop() {
        discovery.close();
    }

    private List<Endpoint> endpoints() {
        return registry.state().endpoints(HOST, 5000);
    }

    /** address -> zone/health. */
    private Map<String, String> view() {
        return endpoints().stream()
                .collect(Collectors.toMap(Endpoint::address, e -> e.locality().zone() + "/" + e.health()));
    }

    @Test
    void endpointsComeFromSlicesJoinedToPodsAndTheirNodes() {
        await().atMost(WAIT).until(() -> endpoints().size() == 2);
        assertThat(view())
                .containsExactlyInAnyOrderEntriesOf(Map.of("10.0.0.1", "az01/HEALTHY", "10.0.0.2", "az02/HEALTHY"));
        Endpoint a = endpoints().stream()
                .filter(e -> e.address().equals("10.0.0.1"))
                .findFirst()
                .orElseThrow();
        assertThat(a.labels()).containsEntry("version", "v1");
        assertThat(a.workloadName()).isEqualTo("hw-a");
        assertThat(a.port()).isEqualTo(5000);
        assertThat(registry.pod(NS, "hw-a")).isNotNull();
    }

    @Test
    void nodeRelabelledIntoAnotherZoneMovesItsEndpoints() {
        await().atMost(WAIT).until(() -> endpoints().size() == 2);
        client.nodes().withName("node-b").edit(n -> {
            n.getMetadata().getLabels().put("topology.kubernetes.io/zone", "az01");
            return n;
        });
        await().atMost(WAIT).until(() -> view().equals(Map.of("10.0.0.1", "az01/HEALTHY", "10.0.0.2", "az01/HEALTHY")));
        assertThat(registry.pod(NS, "hw-b").locality().zone()).isEqualTo("az01");
    }

    @Test
    void podLocalityLabelOverridesItsNode() {
        client.pods().inNamespace(NS).withName("hw-a").edit(p -> {
            p.getMetadata().getLabels().put("topology.istio.io/locality", "eu.az09");
            return p;
        });
        await().atMost(WAIT).until(() -> "az09/HEALTHY".equals(view().get("10.0.0.1")));
        assertThat(registry.pod(NS, "hw-a").locality().region()).isEqualTo("eu");
    }

    @Test
    void deletedPodLeavesEndpoints() {
        await().atMost(WAIT).until(() -> endpoints().size() == 2);
        client.pods().inNamespace(NS).withName("hw-b").delete();
        await().atMost(WAIT).until(() -> view().equals(Map.of("10.0.0.1", "az01/HEALTHY")));
        assertThat(registry.pod(NS, "hw-b")).isNull();
    }

    @Test
    void readinessFlipSendsUnhealthyAndTerminatingSendsDraining() {
        await().atMost(WAIT).until(() -> endpoints().size() == 2);
        updateSlice(List.of(
                endpoint("hw-a", "10.0.0.1", "node-a", false, false),
                endpoint("hw-b", "10.0.0.2", "node-b", false, true)));
        await().atMost(WAIT)
                .until(() -> view().equals(Map.of("10.0.0.1", "az01/UNHEALTHY", "10.0.0.2", "az02/DRAINING")));
        updateSlice(List.of(endpoint("hw-a", "10.0.0.1", "node-a", true, false)));
        await().atMost(WAIT).until(() -> view().equals(Map.of("10.0.0.1", "az01/HEALTHY")));
    }

    @Test
    void deletedSliceLeavesNoEndpoints() {
        await().atMost(WAIT).until(() -> endpoints().size() == 2);
        client.resources(EndpointSlice.class)
                .inNamespace(NS)
                .withName("helloworld-x1")
                .delete();
        await().atMost(WAIT).until(() -> endpoints().isEmpty());
    }

    @Test
    void destinationRuleAppliedAndRemoved() {
        client.resource(destinationRule("helloworld", HOST)).create();
        await().atMost(WAIT)
                .until(() -> registry.state().istio().destinationRules().size() == 1);
        assertThat(registry.state().istio().destinationRules().get(0).meta().name())
                .isEqualTo("helloworld");
        client.resources(DestinationRule.class)
                .inNamespace(NS)
                .withName("helloworld")
                .delete();
        await().atMost(WAIT)
                .until(() -> registry.state().istio().destinationRules().isEmpty());
    }

    @Test
    void peerAuthenticationAppliedAndRemoved() {
        client.resource(new io.fabric8.istio.api.security.v1.PeerAuthenticationBuilder()
                        .withNewMetadata()
                        .withName("strict")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .withNewMtls()
                        .withMode(io.fabric8.istio.api.api.security.v1beta1.PeerAuthenticationMutualTLSMode.STRICT)
                        .endMtls()
                        .endSpec()
                        .build())
                .create();
        await().atMost(WAIT)
                .until(() -> registry.state().istio().peerAuthentications().size() == 1);
        assertThat(registry.state().istio().peerAuthentications().get(0).meta().name())
                .isEqualTo("strict");
        client.resources(io.fabric8.istio.api.security.v1.PeerAuthentication.class)
                .inNamespace(NS)
                .withName("strict")
                .delete();
        await().atMost(WAIT)
                .until(() -> registry.state().istio().peerAuthentications().isEmpty());
    }

    @Test
    void autoMtlsKeysOnTheAdmittedPodsOwnTlsModeLabelOnly() {
        // Both pods are in an injection-enabled namespace, but only hw-a was injected (labelled):
        // the API server's pods are final, so hw-b must not be sent mutual TLS.
        client.namespaces().withName(NS).edit(n -> {
            n.getMetadata().setLabels(Map.of("istio-injection", "enabled"));
            return n;
        });
        client.pods().inNamespace(NS).withName("hw-a").edit(p -> {
            p.getMetadata().getLabels().put("security.istio.io/tlsMode", "istio");
            return p;
        });
        await().atMost(WAIT)
                .until(() -> endpoints().stream()
                        .anyMatch(e ->
                                e.address().equals("10.0.0.1") && e.tlsMode().equals("istio")));
        assertThat(endpoints())
                .filteredOn(e -> e.address().equals("10.0.0.2"))
                .singleElement()
                .satisfies(e -> assertThat(e.tlsMode()).isNotEqualTo("istio"));
    }

    @Test
    void rejectedResourceIsSkippedAndListedWhileTheOthersWork() {
        client.resource(destinationRule("good", HOST)).create();
        client.resource(destinationRule("bad", "")).create();
        await().atMost(WAIT)
                .until(() -> discovery.rejected().size() == 1
                        && registry.state().istio().destinationRules().size() == 1);
        assertThat(discovery.rejected()).containsOnlyKeys("networking.istio.io/v1/DestinationRule/sample/bad");
        assertThat(discovery.rejected().values().iterator().next()).contains("spec.host");
        assertThat(registry.state().istio().destinationRules().get(0).meta().name())
                .isEqualTo("good");
        @SuppressWarnings("unchecked")
        List<Map<String, String>> listed =
                (List<Map<String, String>>) discovery.status().get("rejected");
        assertThat(listed)
                .singleElement()
                .satisfies(m ->
                        assertThat(m.get("resource")).isEqualTo("networking.istio.io/v1/DestinationRule/sample/bad"));
        // Fixed in place: it leaves the rejected list and joins the state.
        client.resources(DestinationRule.class).inNamespace(NS).withName("bad").edit(d -> {
            d.getSpec().setHost(HOST);
            return d;
        });
        await().atMost(WAIT)
                .until(() -> discovery.rejected().isEmpty()
                        && registry.state().istio().destinationRules().size() == 2);
    }

    @Test
    void thousandSliceChangesSettleToTheLastOne() {
        await().atMost(WAIT).until(() -> endpoints().size() == 2);
        long versionBefore = registry.state().version();
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> last = List.of();
        for (int i = 0; i < 1000; i++) {
            List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> eps = new ArrayList<>();
            eps.add(endpoint("hw-a", "10.0.0.1", "node-a", i % 2 == 0, false));
            if (i % 3 != 0) {
                eps.add(endpoint("hw-b", "10.0.0.2", "node-b", true, i % 5 == 0));
            }
            updateSlice(eps);
            last = eps;
        }
        // i = 999: hw-a not ready, hw-b absent (999 % 3 == 0).
        assertThat(last).hasSize(1);
        await().atMost(WAIT).until(() -> view().equals(Map.of("10.0.0.1", "az01/UNHEALTHY")));
        // Bursts are coalesced: far fewer registry versions than events.
        assertThat(registry.state().version() - versionBefore).isLessThan(1000);
    }

    @Test
    void serviceWithoutSelectorTakesItsHandWrittenSliceAndHeadlessIsPassthrough() {
        client.resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
                        .withNewMetadata()
                        .withName("legacy")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withName("http")
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        client.resource(slice(
                        "legacy-1",
                        "legacy",
                        8080,
                        List.of(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder()
                                .withAddresses("192.0.2.10")
                                .withNodeName("node-b")
                                .build())))
                .create();
        io.fabric8.kubernetes.api.model.Service headless = service("hw-headless", 5000);
        headless.getSpec().setClusterIP("None");
        client.resource(headless).create();
        client.resource(slice(
                        "hw-headless-1",
                        "hw-headless",
                        5000,
                        List.of(endpoint("hw-a", "10.0.0.1", "node-a", true, false))))
                .create();
        String legacy = "legacy.sample.svc.cluster.local";
        String headlessHost = "hw-headless.sample.svc.cluster.local";
        await().atMost(WAIT)
                .until(() -> registry.state().endpoints(legacy, 80).size() == 1
                        && registry.state().endpoints(headlessHost, 5000).size() == 1);
        Endpoint manual = registry.state().endpoints(legacy, 80).get(0);
        assertThat(manual.address()).isEqualTo("192.0.2.10");
        assertThat(manual.port()).isEqualTo(8080);
        assertThat(manual.locality().zone()).as("from its nodeName's Node").isEqualTo("az02");
        assertThat(manual.labels()).isEmpty();
        assertThat(registry.state().services().stream()
                        .filter(s -> s.hostname().equals(headlessHost))
                        .findFirst()
                        .orElseThrow()
                        .resolution())
                .isEqualTo(io.zonemesh.model.Service.Resolution.PASSTHROUGH);
    }

    private void updateSlice(List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints) {
        client.resources(EndpointSlice.class)
                .inNamespace(NS)
                .withName("helloworld-x1")
                .edit(s -> {
                    s.setEndpoints(endpoints);
                    return s;
                });
    }

    static DestinationRule destinationRule(String name, String host) {
        return new DestinationRuleBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withHost(host)
                .endSpec()
                .build();
    }

    @Test
    void meshConfigFromTheIstioConfigMapOfItsNamespaceAndTelemetryResourcesReachTheRegistry() throws Exception {
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("istio")
                        .withNamespace("zonemesh-system")
                        .endMetadata()
                        .withData(Map.of("mesh", "accessLogFile: /dev/stdout\naccessLogEncoding: JSON\n"))
                        .build())
                .create();
        client.resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("istio")
                        .withNamespace(NS)
                        .endMetadata()
                        .withData(Map.of("mesh", "accessLogFile: /elsewhere\n"))
                        .build())
                .create();
        client.resource(new TelemetryBuilder()
                        .withNewMetadata()
                        .withName("logs")
                        .withNamespace(NS)
                        .endMetadata()
                        .withNewSpec()
                        .addNewAccessLogging()
                        .addNewProvider()
                        .withName("envoy")
                        .endProvider()
                        .endAccessLogging()
                        .endSpec()
                        .build())
                .create();
        MeshRegistry own = MeshRegistry.synthetic(MeshSettings.DEFAULT, MeshConfigBundle.EMPTY);
        try (KubeDiscovery withMeshConfig =
                new KubeDiscovery(client, own, Clock.system()).watchMeshConfig("zonemesh-system")) {
            withMeshConfig.start(WAIT);
            await().atMost(WAIT)
                    .until(() -> own.state().istio().meshAccessLog().file().equals("/dev/stdout"));
            assertThat(own.state().istio().meshAccessLog().encoding()).isEqualTo(MeshAccessLog.Encoding.JSON);
            assertThat(own.state().istio().telemetries())
                    .extracting(t -> t.meta().namespace() + "/" + t.meta().name())
                    .containsExactly(NS + "/logs");
        }
        // Without watchMeshConfig (a remote cluster's discovery) no ConfigMap is read.
        await().atMost(WAIT).until(() -> registry.state().istio().telemetries().size() == 1);
        assertThat(registry.state().istio().meshAccessLog()).isEqualTo(MeshAccessLog.OFF);
    }
}

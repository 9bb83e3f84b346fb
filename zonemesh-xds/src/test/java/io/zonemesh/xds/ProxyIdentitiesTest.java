package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.Workload;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyIdentitiesTest {
    private static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    private static final Node NODE = Node.newBuilder()
            .setId("sleep-az01-6d9f7c8b5-abcde.sample")
            .setCluster("sleep-az01.sample")
            .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                    .setRegion("sg")
                    .setZone("az09"))
            .setMetadata(Struct.newBuilder()
                    .putFields(
                            "LABELS",
                            Value.newBuilder()
                                    .setStructValue(Struct.newBuilder().putFields("app", string("sleep")))
                                    .build())
                    .putFields("PROXY_TYPE", string("sidecar")))
            .addClientFeatures("envoy.lb.does_not_support_overprovisioning")
            .build();

    @Test
    void readsIdentityFromTheNodeWhenTheWorkloadIsUnknown() {
        ProxyIdentity p = ProxyIdentities.fromNode(NODE, null, MeshSettings.DEFAULT, Map.of(80, "127.0.0.1:8080"));

        assertThat(p.namespace()).isEqualTo("sample");
        assertThat(p.podName()).isEqualTo("sleep-az01-6d9f7c8b5-abcde");
        assertThat(p.owner()).isEqualTo("sleep-az01");
        assertThat(p.labels()).containsExactly(Map.entry("app", "sleep"));
        assertThat(p.locality()).isEqualTo(new Locality("sg", "az09", ""));
        assertThat(p.proxyType()).isEqualTo(ProxyIdentity.ProxyType.SIDECAR);
        assertThat(p.doesNotSupportOverprovisioning()).isTrue();
        assertThat(p.cluster()).isEqualTo("Kubernetes");
        assertThat(p.appPorts()).containsExactly(Map.entry(80, "127.0.0.1:8080"));
    }

    @Test
    void registryWorkloadWinsOverWhatTheNodeSays() {
        Workload w = new Workload(
                "sleep-az01-6d9f7c8b5-abcde",
                "sample",
                "sleep-az01",
                Map.of("app", "sleep", "zone", "az01"),
                Map.of(),
                new Locality("sg", "az01", ""),
                "cluster1-worker",
                "10.244.1.10",
                true,
                true,
                Map.of());

        ProxyIdentity p = ProxyIdentities.fromNode(NODE, w, MeshSettings.DEFAULT, Map.of());

        assertThat(p.locality()).isEqualTo(new Locality("sg", "az01", ""));
        assertThat(p.labels()).containsEntry("zone", "az01");
        assertThat(p.nodeName()).isEqualTo("cluster1-worker");
    }

    @Test
    void workloadWithoutLocalityKeepsTheNodeLocality() {
        Workload w = new Workload(
                "vm-1", "sample", "vm", Map.of(), Map.of(), Locality.EMPTY, "", "10.0.0.9", true, true, Map.of());

        assertThat(ProxyIdentities.fromNode(NODE, w, MeshSettings.DEFAULT, Map.of())
                        .locality())
                .isEqualTo(new Locality("sg", "az09", ""));
    }

    @Test
    void routerTypeAndExplicitNamespaceComeFromMetadata() {
        Node gateway = Node.newBuilder()
                .setId("ingress-1")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", string("istio-system"))
                        .putFields("PROXY_TYPE", string("router"))
                        .putFields("NETWORK", string("net1")))
                .build();

        ProxyIdentity p = ProxyIdentities.fromNode(gateway, null, MeshSettings.DEFAULT, Map.of());

        assertThat(p.namespace()).isEqualTo("istio-system");
        assertThat(p.podName()).isEqualTo("ingress-1");
        assertThat(p.proxyType()).isEqualTo(ProxyIdentity.ProxyType.ROUTER);
        assertThat(p.network()).isEqualTo("net1");
        assertThat(p.doesNotSupportOverprovisioning()).isFalse();
    }

    @Test
    void rejectsANodeWithoutNamespace() {
        assertThatThrownBy(() -> ProxyIdentities.fromNode(
                        Node.newBuilder().setId("lonely").build(), null, MeshSettings.DEFAULT, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node.id: lonely");
    }

    @Test
    void rejectsApplicationPortsThatAreNotHostAndPort() {
        assertThatThrownBy(() -> ProxyIdentity.sidecar("sample", "a", Map.of(), Locality.EMPTY)
                        .withAppPorts(Map.of(80, "127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address: 127.0.0.1 (expected: host:port)");
        assertThatThrownBy(() -> ProxyIdentity.sidecar("sample", "a", Map.of(), Locality.EMPTY)
                        .withAppPorts(Map.of(0, "127.0.0.1:80")))
                .hasMessage("appPorts: 0 (expected: 1-65535)");
        assertThat(HostPort.parse("[::1]:8080")).isEqualTo(new HostPort("::1", 8080));
    }

    @Test
    void requestedNetworkViewIsACommaSeparatedListAndTheNetworkLabelIsTheFallbackNetwork() {
        Node gateway = Node.newBuilder()
                .setId("istio-eastwestgateway-1.istio-system")
                .setMetadata(Struct.newBuilder()
                        .putFields("PROXY_TYPE", string("router"))
                        .putFields("REQUESTED_NETWORK_VIEW", string("network2, network3,"))
                        .putFields(
                                "LABELS",
                                Value.newBuilder()
                                        .setStructValue(Struct.newBuilder()
                                                .putFields("topology.istio.io/network", string("network2")))
                                        .build()))
                .build();
        MeshSettings mesh = new MeshSettings(
                MeshSettings.DEFAULT.localityLbSetting(),
                MeshSettings.DEFAULT.connectTimeout(),
                "cluster.local",
                "cluster2",
                "network9");

        ProxyIdentity p = ProxyIdentities.fromNode(gateway, null, mesh, Map.of());

        assertThat(p.requestedNetworkView()).containsExactly("network2", "network3");
        assertThat(p.network()).isEqualTo("network2");
        assertThat(p.cluster()).isEqualTo("cluster2");
        ProxyGroupKey key = ProxyGroupKey.of(io.zonemesh.model.MeshState.empty(), p);
        assertThat(key.network()).isEqualTo("network2");
        assertThat(key.sees("network3")).isTrue();
        assertThat(key.sees("network1")).isFalse();
        assertThat(key.sees("")).isTrue();
        assertThat(ProxyIdentities.fromNode(NODE, null, mesh, Map.of()).network()).isEqualTo("network9");
    }
}

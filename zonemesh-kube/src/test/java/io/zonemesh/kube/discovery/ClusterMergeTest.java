package io.zonemesh.kube.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.k8s.K8sPod;
import io.zonemesh.registry.EndpointSlices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aggregate's merge rules, on bundles parsed as the informers' objects are. */
class ClusterMergeTest {
    private static MeshConfigBundle bundle(String yaml) {
        return new ConfigLoader().loadString(yaml, "test").bundle();
    }

    private static final String CLUSTER = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: zonemesh-system, labels: {topology.istio.io/network: NET}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: hw, namespace: sample}
            spec: {selector: {app: hw}, ports: [{name: http, port: PORT}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: hw-0, namespace: sample, labels: {app: hw}}
            spec: {nodeName: n1, containers: [{name: app, image: app}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: own-net, namespace: sample, labels: {app: hw, topology.istio.io/network: mine}}
            spec: {containers: [{name: app, image: app}]}
            ---
            apiVersion: v1
            kind: Node
            metadata: {name: n1}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: hw-NET, namespace: sample}
            spec: {host: hw.sample.svc.cluster.local}
            """;

    private static ClusterMerge.ClusterState state(String id, String network, int port) {
        EndpointSlices slices = new EndpointSlices(Map.of(
                "sample/hw",
                List.of(new EndpointSlices.Slice(
                        "s",
                        List.of(new EndpointSlices.Port("http", 8080)),
                        List.of(new EndpointSlices.Entry(
                                List.of("10.0.0." + port), "hw-0", "n1", true, true, false))))));
        return new ClusterMerge.ClusterState(
                id, bundle(CLUSTER.replace("NET", network).replace("PORT", String.valueOf(port))), slices);
    }

    @Test
    void mergesServicesLabelsPodsKeepsLocalIstioConfigAndRenamesCollisions() {
        ClusterMerge.Merged m =
                ClusterMerge.merge(List.of(state("c1", "net1", 1), state("c2", "net2", 2)), "c1", "zonemesh-system");

        // One Service (the local definition), both clusters' slices under it.
        assertThat(m.bundle().services()).hasSize(1);
        assertThat(m.bundle().services().get(0).ports().get(0).port()).isEqualTo(1);
        assertThat(m.slices().of("sample", "hw")).hasSize(2);
        // Istio configuration from the local cluster only; one Namespace, the local one.
        assertThat(m.bundle().istio().destinationRules())
                .extracting(d -> d.meta().name())
                .containsExactly("hw-net1");
        assertThat(m.bundle().namespaces()).hasSize(1);
        assertThat(m.bundle().namespaces().get(0).meta().labels()).containsEntry("topology.istio.io/network", "net1");

        // Cluster label always the registry's; network: the pod's own label, else the system namespace's.
        Map<String, Map<String, String>> labels = new java.util.TreeMap<>();
        for (K8sPod p : m.bundle().pods()) {
            labels.put(p.meta().name(), p.meta().labels());
        }
        assertThat(labels.get("hw-0"))
                .containsEntry("topology.istio.io/cluster", "c1")
                .containsEntry("topology.istio.io/network", "net1");
        assertThat(labels.get("hw-0.c2"))
                .containsEntry("topology.istio.io/cluster", "c2")
                .containsEntry("topology.istio.io/network", "net2");
        assertThat(labels.get("own-net.c2")).containsEntry("topology.istio.io/network", "mine");

        // The colliding remote node and pod renamed, with the slice entry and the pod's nodeName.
        assertThat(m.bundle().nodes()).extracting(n -> n.meta().name()).containsExactly("n1", "n1.c2");
        K8sPod remote = m.bundle().pods().stream()
                .filter(p -> p.meta().name().equals("hw-0.c2"))
                .findFirst()
                .orElseThrow();
        assertThat(remote.spec().nodeName()).isEqualTo("n1.c2");
        EndpointSlices.Entry entry =
                m.slices().of("sample", "hw").get(1).endpoints().get(0);
        assertThat(entry.podName()).isEqualTo("hw-0.c2");
        assertThat(entry.nodeName()).isEqualTo("n1.c2");
    }

    @Test
    void aRemoteClusterAloneGivesNoIstioConfig() {
        ClusterMerge.Merged m = ClusterMerge.merge(List.of(state("c2", "net2", 2)), "c1", "zonemesh-system");
        assertThat(m.bundle().istio().destinationRules()).isEmpty();
        assertThat(m.bundle().services()).hasSize(1);
        assertThat(m.bundle().pods()).extracting(p -> p.meta().name()).containsExactly("hw-0", "own-net");
    }

    @Test
    void everyClustersEastWestGatewayIsKeptUnderItsOwnClusterThoughTheServicesShareAName() {
        String gateway = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: istio-eastwestgateway
                  namespace: istio-system
                  labels: {topology.istio.io/network: NET}
                spec:
                  type: LoadBalancer
                  selector: {istio: eastwestgateway}
                  ports: [{name: tls, port: 15443}]
                status: {loadBalancer: {ingress: [{ip: IP}]}}
                """;
        List<ClusterMerge.ClusterState> states = List.of(
                new ClusterMerge.ClusterState(
                        "c1",
                        bundle(gateway.replace("NET", "net1").replace("IP", "198.18.0.1")),
                        new EndpointSlices(Map.of())),
                new ClusterMerge.ClusterState(
                        "c2",
                        bundle(gateway.replace("NET", "net2").replace("IP", "198.18.0.2")),
                        new EndpointSlices(Map.of())));

        ClusterMerge.Merged m = ClusterMerge.merge(states, "c1", "istio-system");

        assertThat(m.bundle().services()).as("one merged Service of that name").hasSize(1);
        assertThat(m.gateways())
                .extracting(g -> g.network() + "/" + g.cluster() + "/" + g.address() + ":" + g.port())
                .containsExactly("net1/c1/198.18.0.1:15443", "net2/c2/198.18.0.2:15443");
    }
}

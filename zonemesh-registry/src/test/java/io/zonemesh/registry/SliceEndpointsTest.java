package io.zonemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.MeshSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registry given EndpointSlices takes Kubernetes Services' endpoints from them, as istiod does. */
class SliceEndpointsTest {
    private static final String HOST = "helloworld.sample.svc.cluster.local";
    private static final String YAML = """
            apiVersion: v1
            kind: Node
            metadata: {name: node-a, labels: {topology.kubernetes.io/region: sg, topology.kubernetes.io/zone: az01}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: helloworld, namespace: sample}
            spec:
              selector: {app: helloworld}
              ports: [{port: 5000, name: http, targetPort: 5000}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: hw-a, namespace: sample, labels: {app: helloworld, version: v1}}
            spec: {nodeName: node-a, containers: [{name: app, image: app}]}
            status: {podIP: 10.0.0.1}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: hw-unlisted, namespace: sample, labels: {app: helloworld, version: v2}}
            spec: {nodeName: node-a, containers: [{name: app, image: app}]}
            status: {podIP: 10.0.0.2}
            ---
            apiVersion: networking.istio.io/v1
            kind: WorkloadEntry
            metadata: {name: vm-1, namespace: sample}
            spec: {address: 192.0.2.1, labels: {app: helloworld}}
            """;

    @Test
    void endpointsAreTheSlicesEntriesJoinedToPodsPlusSelectedWorkloadEntries() {
        LoadResult loaded = new ConfigLoader().loadString(YAML, "test.yaml");
        assertThat(loaded.diagnostics()).noneMatch(d -> d.isError());
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, loaded.bundle());
        EndpointSlices slices = new EndpointSlices(Map.of(
                "sample/helloworld",
                List.of(new EndpointSlices.Slice(
                        "helloworld-1",
                        List.of(new EndpointSlices.Port("http", 8080)),
                        List.of(
                                new EndpointSlices.Entry(List.of("10.0.0.1"), "hw-a", "node-a", false, true, true),
                                new EndpointSlices.Entry(
                                        List.of("10.0.0.9"), "not-yet-seen", "node-a", true, true, false))))));
        registry.apply(loaded.bundle(), slices);
        List<Endpoint> eps = registry.state().endpoints(HOST, 5000);
        // hw-unlisted is selected but in no slice: no endpoint; the unknown pod's entry waits for it.
        assertThat(eps).extracting(Endpoint::address).containsExactlyInAnyOrder("10.0.0.1", "192.0.2.1");
        Endpoint pod = eps.stream()
                .filter(e -> e.address().equals("10.0.0.1"))
                .findFirst()
                .orElseThrow();
        assertThat(pod.port()).as("the slice's port").isEqualTo(8080);
        assertThat(pod.health()).isEqualTo(HealthStatus.DRAINING);
        assertThat(pod.locality().zone()).isEqualTo("az01");
        assertThat(pod.labels()).containsEntry("version", "v1");
    }
}

package io.zonemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Workload;
import org.junit.jupiter.api.Test;

/**
 * What auto mutual TLS reads from the registry: the injector's tlsMode label on pods that get a
 * sidecar, endpoints' tlsMode and workload (target) port, and a service's accounts.
 */
class MtlsRegistryTest {
    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: bookinfo, labels: {istio-injection: enabled}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: bookinfo}
            spec: {selector: {app: reviews}, ports: [{port: 80, targetPort: 9080, name: http}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v1, namespace: bookinfo}
            spec:
              selector: {matchLabels: {app: reviews}}
              template:
                metadata: {labels: {app: reviews, version: v1}}
                spec: {serviceAccountName: reviews, containers: [{name: reviews, image: img}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v2, namespace: bookinfo}
            spec:
              selector: {matchLabels: {app: reviews}}
              template:
                metadata: {labels: {app: reviews, version: v2, sidecar.istio.io/inject: "false"}}
                spec: {serviceAccountName: reviews-v2, containers: [{name: reviews, image: img}]}
            """;

    private static MeshState state() {
        LoadResult loaded = new ConfigLoader().loadString(MESH, "mtls.yaml");
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        return MeshRegistry.synthetic(MeshSettings.DEFAULT, loaded.bundle()).state();
    }

    @Test
    void podsWithASidecarGetTheInjectorsTlsModeLabelAndTheirEndpointsTlsModeIstio() {
        MeshState state = state();

        assertThat(state.workloads())
                .filteredOn(Workload::sidecar)
                .singleElement()
                .satisfies(w -> assertThat(w.labels()).containsEntry(Endpoint.TLS_MODE_LABEL, "istio"));
        assertThat(state.workloads())
                .filteredOn(w -> !w.sidecar())
                .singleElement()
                .satisfies(w -> assertThat(w.labels()).doesNotContainKey(Endpoint.TLS_MODE_LABEL));
        assertThat(state.endpoints("reviews.bookinfo.svc.cluster.local", 80))
                .extracting(e -> e.labels().get("version") + " " + e.tlsMode() + " " + e.workloadPort())
                .containsExactlyInAnyOrder("v1 istio 9080", "v2 disabled 9080");
    }

    @Test
    void aServiceHasTheAccountsOfAllItsEndpointsSorted() {
        MeshState state = state();

        assertThat(state.serviceAccounts(state.service("reviews.bookinfo.svc.cluster.local")))
                .containsExactly(
                        "spiffe://cluster.local/ns/bookinfo/sa/reviews",
                        "spiffe://cluster.local/ns/bookinfo/sa/reviews-v2");
    }
}

package io.zonemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import org.junit.jupiter.api.Test;

/** A pod's serviceAccountName is its endpoints' identity, as Istio's IstioEndpoint.ServiceAccount. */
class ServiceAccountRegistryTest {
    private static final String MESH = """
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: bookinfo-reviews}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews}
            spec: {selector: {app: reviews}, ports: [{port: 9080, name: http}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v1}
            spec:
              selector: {matchLabels: {app: reviews}}
              template:
                metadata: {labels: {app: reviews}}
                spec:
                  serviceAccountName: bookinfo-reviews
                  containers: [{name: reviews, image: img, ports: [{containerPort: 9080}]}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: ratings}
            spec: {selector: {app: ratings}, ports: [{port: 9080, name: http}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ratings-v1}
            spec:
              selector: {matchLabels: {app: ratings}}
              template:
                metadata: {labels: {app: ratings}}
                spec: {containers: [{name: ratings, image: img}]}
            """;

    @Test
    void podServiceAccountBecomesTheEndpointsSpiffeIdentity() {
        LoadResult loaded = new ConfigLoader().loadString(MESH, "sa.yaml");
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        MeshState state =
                MeshRegistry.synthetic(MeshSettings.DEFAULT, loaded.bundle()).state();

        assertThat(state.endpoints("reviews.default.svc.cluster.local", 9080))
                .extracting(Endpoint::serviceAccount)
                .containsExactly("spiffe://cluster.local/ns/default/sa/bookinfo-reviews");
        // The API server sets serviceAccountName: default when the manifest leaves it out.
        assertThat(state.endpoints("ratings.default.svc.cluster.local", 9080))
                .extracting(Endpoint::serviceAccount)
                .containsExactly("spiffe://cluster.local/ns/default/sa/default");
    }
}

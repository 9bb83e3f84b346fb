package io.zonemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Where Istio reads a service's traffic distribution: Service, ServiceEntry, then Namespace. */
class TrafficDistributionRegistryTest {
    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              annotations: {networking.istio.io/traffic-distribution: PreferSameNode}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: inherits, namespace: shop}
            spec: {selector: {app: a}, ports: [{port: 80, name: http}]}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: own
              namespace: shop
              annotations: {networking.istio.io/traffic-distribution: PreferSameNode}
            spec: {selector: {app: b}, ports: [{port: 80, name: http}], trafficDistribution: PreferClose}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata:
              name: external
              namespace: default
              annotations: {networking.istio.io/traffic-distribution: preferclose}
            spec:
              hosts: [api.example.com]
              ports: [{number: 443, name: tls, protocol: TLS}]
              resolution: DNS
            """;

    @Test
    void serviceSpecThenAnnotationThenNamespaceAndServiceEntries() {
        LoadResult loaded = new ConfigLoader().loadString(MESH, "td.yaml");
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        MeshState state =
                MeshRegistry.synthetic(MeshSettings.DEFAULT, loaded.bundle()).state();

        assertThat(Objects.requireNonNull(state.service("inherits.shop.svc.cluster.local"))
                        .trafficDistribution())
                .isEqualTo("PreferSameNode");
        assertThat(Objects.requireNonNull(state.service("own.shop.svc.cluster.local"))
                        .trafficDistribution())
                .isEqualTo("PreferSameZone");
        assertThat(Objects.requireNonNull(state.service("api.example.com")).trafficDistribution())
                .isEqualTo("PreferSameZone");
    }
}

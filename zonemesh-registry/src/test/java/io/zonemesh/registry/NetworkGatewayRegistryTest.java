package io.zonemesh.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ClusterSettings;
import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.LoadResult;
import io.zonemesh.config.NetworkGatewayDiscovery;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.NetworkGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Network gateways found from Services as istiod does, and endpoints' cluster and network. */
class NetworkGatewayRegistryTest {
    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: istio-system, labels: {topology.istio.io/network: network2}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: sample, labels: {istio-injection: enabled}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: istio-eastwestgateway, namespace: istio-system, labels: {topology.istio.io/network: network2}}
            spec:
              type: LoadBalancer
              loadBalancerIP: 127.0.2.10
              selector: {istio: eastwestgateway}
              ports: [{name: status-port, port: 15021}, {name: tls, port: 15443}]
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: custom-port-gw
              namespace: istio-system
              labels: {topology.istio.io/network: network3, networking.istio.io/gatewayPort: "16443"}
            spec:
              type: LoadBalancer
              externalIPs: [192.0.2.8]
              selector: {istio: gw3}
              ports: [{name: tls, port: 16443}]
            status:
              loadBalancer: {ingress: [{ip: 198.51.100.4}, {hostname: gw.example.com}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: no-tls-port, namespace: istio-system, labels: {topology.istio.io/network: network4}}
            spec:
              type: LoadBalancer
              loadBalancerIP: 127.0.4.10
              selector: {istio: gw4}
              ports: [{name: http, port: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: not-loopback, namespace: istio-system, labels: {topology.istio.io/network: network5}}
            spec:
              type: LoadBalancer
              loadBalancerIP: 10.0.0.1
              selector: {istio: gw5}
              ports: [{name: tls, port: 15443}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: helloworld, namespace: sample}
            spec: {selector: {app: helloworld}, ports: [{port: 5000, name: http}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: helloworld-v2, namespace: sample}
            spec:
              selector: {matchLabels: {app: helloworld}}
              template:
                metadata: {labels: {app: helloworld, version: v2}}
                spec: {containers: [{name: helloworld, image: img}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: helloworld-moved, namespace: sample, labels: {app: helloworld, topology.istio.io/network: network8}}
            spec: {containers: [{name: helloworld, image: img}]}
            """;

    private static LoadResult load() {
        LoadResult loaded = new ConfigLoader().loadString(MESH, "multinetwork.yaml");
        assertThat(loaded.hasErrors()).as("%s", loaded.diagnostics()).isFalse();
        return loaded;
    }

    @Test
    void gatewaysComeFromNetworkLabelledServicesExposingTheGatewayPortWithIpAddresses() {
        List<String> warnings = new ArrayList<>();
        List<NetworkGateway> gateways =
                NetworkGatewayDiscovery.of(load().bundle().services(), "cluster2", warnings::add);
        assertThat(gateways)
                .containsExactly(
                        new NetworkGateway("network2", "cluster2", "127.0.2.10", 15443),
                        new NetworkGateway("network3", "cluster2", "192.0.2.8", 16443),
                        new NetworkGateway("network3", "cluster2", "198.51.100.4", 16443));
        assertThat(warnings)
                .containsExactly(
                        "Service/istio-system/custom-port-gw: gateway address gw.example.com is a host name (expected: "
                                + "an IP address; istiod drops host names unless RESOLVE_HOSTNAME_GATEWAYS is set)",
                        "Service/istio-system/no-tls-port: labelled topology.istio.io/network=network4 but exposes no "
                                + "port 15443 (expected: the gateway's TLS passthrough port); not used as a network "
                                + "gateway");
    }

    @Test
    void endpointsTakeTheClustersNetworkUnlessTheirPodSaysOtherwiseAndTheStateCarriesTheGateways() {
        LoadResult loaded = load();
        ClusterSettings cluster =
                ClusterSettings.resolve(loaded.bundle(), new ClusterSettings("cluster2", "", "cluster.local"));
        MeshState state = MeshRegistry.synthetic(cluster.applyTo(MeshSettings.DEFAULT), loaded.bundle())
                .state();
        List<String> placed = new ArrayList<>();
        for (Endpoint e : state.endpoints("helloworld.sample.svc.cluster.local", 5000)) {
            placed.add(e.workloadName().replaceAll("-[0-9a-z]+-[0-9a-z]+$", "") + " " + e.cluster() + " " + e.network());
        }
        assertThat(placed).containsExactlyInAnyOrder("helloworld-v2 cluster2 network2", "helloworld-moved cluster2 network8");
        assertThat(state.networkGateways()).hasSize(3);
        assertThat(state.gateways().select("network2", "cluster2"))
                .containsExactly(new NetworkGateway("network2", "cluster2", "127.0.2.10", 15443));
    }
}

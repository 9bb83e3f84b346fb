package io.zonemesh.kube.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.EndpointSlices;
import io.zonemesh.registry.MeshRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the aggregate publishes into the registry the xDS is generated from. */
class MeshAggregateTest {
    private static final String GATEWAY = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: istio-system, labels: {topology.istio.io/network: NET}}
            ---
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

    private static MeshConfigBundle cluster(String network, String ip) {
        return new ConfigLoader()
                .loadString(GATEWAY.replace("NET", network).replace("IP", ip), network)
                .bundle();
    }

    @Test
    void theRegistryStateHoldsEachClustersGatewayAndDropsARemovedClustersOne() {
        MeshRegistry registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, MeshConfigBundle.EMPTY);
        MeshAggregate aggregate = new MeshAggregate(registry, "c1", "istio-system");
        EndpointSlices none = new EndpointSlices(Map.of());

        aggregate.put("c1", cluster("net1", "198.18.0.1"), none);
        aggregate.put("c2", cluster("net2", "198.18.0.2"), none);

        assertThat(registry.state().networkGateways())
                .extracting(g -> g.network() + "/" + g.cluster() + "/" + g.address())
                .containsExactlyInAnyOrder("net1/c1/198.18.0.1", "net2/c2/198.18.0.2");

        aggregate.remove("c2");
        assertThat(registry.state().networkGateways())
                .extracting(g -> g.network() + "/" + g.cluster() + "/" + g.address())
                .containsExactly("net1/c1/198.18.0.1");
    }
}

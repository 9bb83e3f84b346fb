package io.zonemesh.config.analysis;

import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.NetworkGatewayDiscovery;
import io.zonemesh.config.k8s.K8sService;
import java.util.List;

/**
 * ZM0213: Services labelled {@code topology.istio.io/network} that istiod would not use as that
 * network's gateway (no gateway port, or a host-name address), one finding per problem, so that
 * cross-network calls that go nowhere have a visible cause.
 */
final class NetworkGatewayCheck implements Check {
    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (K8sService s : mesh.bundle().services()) {
            NetworkGatewayDiscovery.of(List.of(s), "", warning -> findings.add(
                    DiagnosticCode.NETWORK_GATEWAY_UNUSABLE, s.meta(), "metadata.labels", warning));
        }
    }
}

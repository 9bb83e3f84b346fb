package io.zonemesh.xds;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.NetworkGateway;
import io.zonemesh.model.Service;
import io.zonemesh.model.Workload;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.IstioConfig;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.SidecarConfig;
import io.zonemesh.model.istio.VirtualServiceConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link MeshState} by hand for tests. */
final class TestMesh {
    private final List<Service> services = new ArrayList<>();
    private final Map<String, List<Endpoint>> endpoints = new HashMap<>();
    private final List<Workload> workloads = new ArrayList<>();
    private final List<DestinationRuleConfig> rules = new ArrayList<>();
    private final List<VirtualServiceConfig> virtualServices = new ArrayList<>();
    private final List<SidecarConfig> sidecars = new ArrayList<>();
    private final List<GatewayConfig> gateways = new ArrayList<>();
    private final List<PeerAuthenticationConfig> peerAuthentications = new ArrayList<>();
    private MeshSettings settings = MeshSettings.DEFAULT;
    private final List<NetworkGateway> networkGateways = new ArrayList<>();

    TestMesh service(Service service) {
        services.add(service);
        return this;
    }

    TestMesh endpoints(Endpoint... list) {
        for (Endpoint e : list) {
            endpoints
                    .computeIfAbsent(e.serviceHostname(), k -> new ArrayList<>())
                    .add(e);
        }
        return this;
    }

    TestMesh workload(Workload workload) {
        workloads.add(workload);
        return this;
    }

    TestMesh rule(DestinationRuleConfig rule) {
        rules.add(rule);
        return this;
    }

    TestMesh virtualService(VirtualServiceConfig vs) {
        virtualServices.add(vs);
        return this;
    }

    TestMesh sidecar(SidecarConfig sidecar) {
        sidecars.add(sidecar);
        return this;
    }

    TestMesh gateway(GatewayConfig gateway) {
        gateways.add(gateway);
        return this;
    }

    TestMesh peerAuthentication(PeerAuthenticationConfig policy) {
        peerAuthentications.add(policy);
        return this;
    }

    TestMesh networkGateway(NetworkGateway gateway) {
        networkGateways.add(gateway);
        return this;
    }

    TestMesh settings(MeshSettings value) {
        settings = value;
        return this;
    }

    MeshState build() {
        IstioConfig istio = new IstioConfig(
                rules, virtualServices, List.of(), List.of(), gateways, sidecars, peerAuthentications);
        return new MeshState(1, services, endpoints, workloads, istio, settings, networkGateways);
    }
}

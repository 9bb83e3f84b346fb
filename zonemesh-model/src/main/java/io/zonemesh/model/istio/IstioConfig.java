package io.zonemesh.model.istio;

import java.util.List;

/** Every validated Istio networking and security resource of a mesh. */
public record IstioConfig(
        List<DestinationRuleConfig> destinationRules,
        List<VirtualServiceConfig> virtualServices,
        List<ServiceEntryConfig> serviceEntries,
        List<WorkloadEntryConfig> workloadEntries,
        List<GatewayConfig> gateways,
        List<SidecarConfig> sidecars,
        List<PeerAuthenticationConfig> peerAuthentications) {

    public static final IstioConfig EMPTY =
            new IstioConfig(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** Networking resources only, no PeerAuthentication (every port PERMISSIVE, Istio's default). */
    public IstioConfig(
            List<DestinationRuleConfig> destinationRules,
            List<VirtualServiceConfig> virtualServices,
            List<ServiceEntryConfig> serviceEntries,
            List<WorkloadEntryConfig> workloadEntries,
            List<GatewayConfig> gateways,
            List<SidecarConfig> sidecars) {
        this(destinationRules, virtualServices, serviceEntries, workloadEntries, gateways, sidecars, List.of());
    }

    /** A copy with these PeerAuthentications. */
    public IstioConfig withPeerAuthentications(List<PeerAuthenticationConfig> policies) {
        return new IstioConfig(
                destinationRules, virtualServices, serviceEntries, workloadEntries, gateways, sidecars, policies);
    }

    public IstioConfig {
        destinationRules = List.copyOf(destinationRules);
        virtualServices = List.copyOf(virtualServices);
        serviceEntries = List.copyOf(serviceEntries);
        workloadEntries = List.copyOf(workloadEntries);
        gateways = List.copyOf(gateways);
        sidecars = List.copyOf(sidecars);
        peerAuthentications = List.copyOf(peerAuthentications);
    }
}

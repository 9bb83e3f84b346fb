package io.zonemesh.model.istio;

import java.util.List;

/** Every validated Istio networking resource of a mesh. */
public record IstioConfig(
        List<DestinationRuleConfig> destinationRules,
        List<VirtualServiceConfig> virtualServices,
        List<ServiceEntryConfig> serviceEntries,
        List<WorkloadEntryConfig> workloadEntries,
        List<GatewayConfig> gateways,
        List<SidecarConfig> sidecars) {

    public static final IstioConfig EMPTY =
            new IstioConfig(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public IstioConfig {
        destinationRules = List.copyOf(destinationRules);
        virtualServices = List.copyOf(virtualServices);
        serviceEntries = List.copyOf(serviceEntries);
        workloadEntries = List.copyOf(workloadEntries);
        gateways = List.copyOf(gateways);
        sidecars = List.copyOf(sidecars);
    }
}

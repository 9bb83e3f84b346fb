package io.zonemesh.model.istio;

import java.util.List;

/**
 * Every validated Istio networking and security resource of a mesh.
 *
 * @param meshAccessLog the meshConfig access-log fields (from the {@code istio} ConfigMap's
 *     {@code mesh} key or an IstioOperator's {@code spec.meshConfig})
 * @param telemetries the Telemetry resources
 */
public record IstioConfig(
        List<DestinationRuleConfig> destinationRules,
        List<VirtualServiceConfig> virtualServices,
        List<ServiceEntryConfig> serviceEntries,
        List<WorkloadEntryConfig> workloadEntries,
        List<GatewayConfig> gateways,
        List<SidecarConfig> sidecars,
        List<PeerAuthenticationConfig> peerAuthentications,
        MeshAccessLog meshAccessLog,
        List<TelemetryConfig> telemetries) {

    public static final IstioConfig EMPTY =
            new IstioConfig(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** These resources without access-log settings (Istio's default: no access log). */
    public IstioConfig(
            List<DestinationRuleConfig> destinationRules,
            List<VirtualServiceConfig> virtualServices,
            List<ServiceEntryConfig> serviceEntries,
            List<WorkloadEntryConfig> workloadEntries,
            List<GatewayConfig> gateways,
            List<SidecarConfig> sidecars,
            List<PeerAuthenticationConfig> peerAuthentications) {
        this(
                destinationRules,
                virtualServices,
                serviceEntries,
                workloadEntries,
                gateways,
                sidecars,
                peerAuthentications,
                MeshAccessLog.OFF,
                List.of());
    }

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
                destinationRules,
                virtualServices,
                serviceEntries,
                workloadEntries,
                gateways,
                sidecars,
                policies,
                meshAccessLog,
                telemetries);
    }

    /** A copy with these access-log settings and Telemetry resources. */
    public IstioConfig withTelemetry(MeshAccessLog accessLog, List<TelemetryConfig> resources) {
        return new IstioConfig(
                destinationRules,
                virtualServices,
                serviceEntries,
                workloadEntries,
                gateways,
                sidecars,
                peerAuthentications,
                accessLog,
                resources);
    }

    public IstioConfig {
        destinationRules = List.copyOf(destinationRules);
        virtualServices = List.copyOf(virtualServices);
        serviceEntries = List.copyOf(serviceEntries);
        workloadEntries = List.copyOf(workloadEntries);
        gateways = List.copyOf(gateways);
        sidecars = List.copyOf(sidecars);
        peerAuthentications = List.copyOf(peerAuthentications);
        java.util.Objects.requireNonNull(meshAccessLog, "meshAccessLog");
        telemetries = List.copyOf(telemetries);
    }
}

package io.zonemesh.model;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.IstioConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One immutable view of the whole mesh: services, their endpoints, workloads and Istio config.
 * Every change produces a new instance; generators read it without locks.
 *
 * @param version increases with every change, used as the xDS version prefix
 */
public record MeshState(
        long version,
        List<Service> services,
        Map<String, List<Endpoint>> endpointsByHost,
        List<Workload> workloads,
        IstioConfig istio,
        MeshSettings settings,
        List<NetworkGateway> networkGateways) {

    /** A state without network gateways (one network, or none). */
    public MeshState(
            long version,
            List<Service> services,
            Map<String, List<Endpoint>> endpointsByHost,
            List<Workload> workloads,
            IstioConfig istio,
            MeshSettings settings) {
        this(version, services, endpointsByHost, workloads, istio, settings, List.of());
    }

    public MeshState {
        networkGateways = List.copyOf(networkGateways);
        services = List.copyOf(services);
        Map<String, List<Endpoint>> copy = new HashMap<>();
        endpointsByHost.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        endpointsByHost = Collections.unmodifiableMap(copy);
        workloads = List.copyOf(workloads);
        Objects.requireNonNull(istio, "istio");
        Objects.requireNonNull(settings, "settings");
    }

    public static MeshState empty() {
        return new MeshState(0, List.of(), Map.of(), List.of(), IstioConfig.EMPTY, MeshSettings.DEFAULT);
    }

    /** The service with this FQDN, or null. */
    public @Nullable Service service(String hostname) {
        for (Service s : services) {
            if (s.hostname().equals(hostname)) {
                return s;
            }
        }
        return null;
    }

    /** Endpoints of a service on one service port. */
    public List<Endpoint> endpoints(String hostname, int servicePort) {
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : endpointsByHost.getOrDefault(hostname, List.of())) {
            if (e.servicePort() == servicePort) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The identities a client accepts from a service's servers, istiod's {@code
     * PushContext.ServiceAccounts}: the SPIFFE ids of all its endpoints (every port) plus those the
     * service declares ({@link Service#serviceAccounts}), sorted and without duplicates.
     */
    public List<String> serviceAccounts(Service service) {
        TreeSet<String> out = new TreeSet<>(service.serviceAccounts());
        for (Endpoint e : endpointsByHost.getOrDefault(service.hostname(), List.of())) {
            if (!e.serviceAccount().isEmpty()) {
                out.add(e.serviceAccount());
            }
        }
        return List.copyOf(out);
    }

    /** The workload with this namespace and name, or null. */
    public @Nullable Workload workload(String namespace, String name) {
        for (Workload w : workloads) {
            if (w.namespace().equals(namespace) && w.name().equals(name)) {
                return w;
            }
        }
        return null;
    }

    /** DestinationRules in the order they were read. */
    public List<DestinationRuleConfig> destinationRules() {
        return istio.destinationRules();
    }

    /** A copy with another version number. */
    public MeshState withVersion(long newVersion) {
        return new MeshState(newVersion, services, endpointsByHost, workloads, istio, settings, networkGateways);
    }

    /** A copy with other network gateways ({@code networkGateways}: every cluster's, merged). */
    public MeshState withNetworkGateways(List<NetworkGateway> gateways) {
        return new MeshState(version, services, endpointsByHost, workloads, istio, settings, gateways);
    }

    /** The network gateways indexed for split-horizon EDS. */
    public NetworkGateways gateways() {
        return networkGateways.isEmpty() ? NetworkGateways.NONE : new NetworkGateways(networkGateways);
    }
}

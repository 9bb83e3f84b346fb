package io.zonemesh.cli.mesh;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.NetworkGateway;
import io.zonemesh.model.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One cluster's view of the mesh in {@code zonemesh up --cluster}: its own state plus what the
 * clusters its remote secrets name hold, as istiod's aggregate registry presents several kube
 * registries ({@code pilot/pkg/serviceregistry/aggregate/controller.go}). Only each remote
 * cluster's <em>own</em> part is taken (endpoints and gateways whose cluster is that cluster), so
 * discovery is not transitive, as in Istio, and a cluster's view never feeds back into itself.
 *
 * <ul>
 *   <li>A service (by host name) defined in several clusters is one service, the local definition
 *       first, then remotes in the order given; its endpoints are every cluster's.
 *   <li>Network gateways are every cluster's, so split-horizon EDS finds the remote network's.
 *   <li>Istio configuration, workloads and settings stay the local cluster's (each primary reads
 *       its own cluster's configuration).
 * </ul>
 */
final class ClusterAggregate {
    /** A remote cluster: its ID and its registry's latest state (read without locks). */
    record Remote(String cluster, Supplier<MeshState> state) {}

    private ClusterAggregate() {}

    static MeshState merge(MeshState local, List<Remote> remotes) {
        if (remotes.isEmpty()) {
            return local;
        }
        List<Service> services = new ArrayList<>(local.services());
        Set<String> hosts = new HashSet<>();
        services.forEach(s -> hosts.add(s.hostname()));
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        local.endpointsByHost().forEach((host, list) -> endpoints.put(host, new ArrayList<>(list)));
        List<NetworkGateway> gateways = new ArrayList<>(local.networkGateways());
        for (Remote r : remotes) {
            Part part = ownPart(r.state().get(), r.cluster());
            for (Service s : part.services()) {
                if (hosts.add(s.hostname())) {
                    services.add(s);
                }
            }
            part.endpoints()
                    .forEach((host, list) -> endpoints
                            .computeIfAbsent(host, h -> new ArrayList<>())
                            .addAll(list));
            gateways.addAll(part.gateways());
        }
        return new MeshState(
                local.version(), services, endpoints, local.workloads(), local.istio(), local.settings(), gateways);
    }

    /**
     * What {@code cluster} itself contributes to {@code state}: its services that have endpoints of
     * that cluster (or none at all), those endpoints and its gateways. A change in it is what makes the
     * clusters that discover {@code cluster} rebuild their view.
     */
    static Part ownPart(MeshState state, String cluster) {
        // Istio configuration (ServiceEntries) is read from the local cluster only, as each primary's
        // istiod reads its own: remote clusters contribute Kubernetes services.
        Set<String> kube = new HashSet<>();
        for (Service s : state.services()) {
            if (s.origin() == Service.Origin.KUBERNETES) {
                kube.add(s.hostname());
            }
        }
        Map<String, List<Endpoint>> endpoints = new HashMap<>();
        state.endpointsByHost().forEach((host, list) -> {
            if (!kube.contains(host)) {
                return;
            }
            List<Endpoint> own = new ArrayList<>();
            for (Endpoint e : list) {
                if (e.cluster().equals(cluster)) {
                    own.add(e);
                }
            }
            if (!own.isEmpty()) {
                endpoints.put(host, List.copyOf(own));
            }
        });
        List<NetworkGateway> gateways = new ArrayList<>();
        for (NetworkGateway g : state.networkGateways()) {
            if (g.cluster().equals(cluster)) {
                gateways.add(g);
            }
        }
        List<Service> services = new ArrayList<>();
        for (Service s : state.services()) {
            // A service another cluster added to this state is not this cluster's to pass on.
            if (kube.contains(s.hostname()) && endpoints.containsKey(s.hostname())
                    || kube.contains(s.hostname())
                            && state.endpointsByHost()
                                    .getOrDefault(s.hostname(), List.of())
                                    .isEmpty()) {
                services.add(s);
            }
        }
        return new Part(List.copyOf(services), Map.copyOf(endpoints), List.copyOf(gateways));
    }

    /** One cluster's own services, endpoints by host name and network gateways. */
    record Part(List<Service> services, Map<String, List<Endpoint>> endpoints, List<NetworkGateway> gateways) {}
}

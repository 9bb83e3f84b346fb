package io.zonemesh.xds.locality;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.NetworkGateway;
import io.zonemesh.model.NetworkGateways;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Split-horizon EDS, istiod's {@code EndpointsByNetworkFilter}
 * (pilot/pkg/xds/endpoints/ep_filters.go) with the proxy view of {@code filterIstioEndpoint}
 * (endpoint_builder.go, pilot/pkg/model/proxy_view.go). Per locality group, keeping its locality:
 *
 * <ul>
 *   <li>an endpoint outside the proxy's requested network view is dropped;
 *   <li>with no gateway anywhere in the mesh nothing else changes (istiod's
 *       {@code IsMultiNetworkEnabled} is false);
 *   <li>otherwise every weight is multiplied by the gateways' {@code lcm} scale factor; an endpoint
 *       on the proxy's network (or with no network, or whose network has no gateway: istiod then
 *       emits the unreachable pod IP anyway) is kept;
 *   <li>a remote endpoint the client would not send mutual TLS is dropped (the gateway routes by
 *       the mTLS SNI); the others' weights are split evenly (integer division) across the gateways
 *       of their network and cluster, else of their network;
 *   <li>each gateway used becomes ONE endpoint of the group, {@code address:port}, with the summed
 *       weight (0 becomes 1), after the kept endpoints, gateways sorted by address and port.
 * </ul>
 *
 * <p>A gateway that fronts several localities therefore appears once in each of their groups,
 * with that locality's weight, exactly as istiod emits it. Envoy then keeps only the first
 * occurrence of an address in a ClusterLoadAssignment (istio#56355); zonemesh's proxy keeps each
 * as its own host, so failover and {@code distribute} see the remote zones.
 *
 * <p>As istiod, the gateway endpoint's labels for {@code failoverPriority} are only
 * {@code topology.istio.io/network} and {@code topology.istio.io/cluster} of the gateway
 * ({@code AugmentLabels(nil, gw.Cluster, "", "", gw.Network)}): its own locality is left empty
 * (the group keeps the remote locality), so region and zone labels cannot match it (istio#49500).
 */
public final class SplitHorizon {
    private SplitHorizon() {}

    /**
     * The groups as one proxy sees them.
     *
     * @param gatewayEndpoints the endpoints standing for a gateway, by identity: they always carry
     *     the {@code tlsMode: istio} metadata
     */
    public record Result(List<LocalityGroup> groups, Set<Endpoint> gatewayEndpoints) {}

    /** The view of a proxy; {@code sees} and {@code inNetwork} are istiod's ProxyView and InNetwork. */
    public interface ProxyNetwork {
        boolean sees(String endpointNetwork);

        boolean inNetwork(String endpointNetwork);
    }

    public static Result apply(
            List<LocalityGroup> groups, ProxyNetwork proxy, NetworkGateways gateways, Predicate<Endpoint> mtls) {
        Set<Endpoint> gatewayEndpoints = Collections.newSetFromMap(new IdentityHashMap<>());
        List<LocalityGroup> out = new ArrayList<>();
        int scale = gateways.scaleFactor();
        for (LocalityGroup g : groups) {
            List<Endpoint> kept = new ArrayList<>();
            Map<NetworkGateway, Long> weights = new TreeMap<>(NetworkGateway.ORDER.thenComparing(
                    NetworkGateway::network).thenComparing(NetworkGateway::cluster));
            Endpoint sample = null;
            for (Endpoint e : g.endpoints()) {
                if (!proxy.sees(e.network())) {
                    continue;
                }
                if (!gateways.multiNetwork()) {
                    kept.add(e);
                    continue;
                }
                long weight = Math.min((long) e.weight() * scale, Integer.MAX_VALUE);
                List<NetworkGateway> via = gateways.select(e.network(), e.cluster());
                if (proxy.inNetwork(e.network()) || via.isEmpty()) {
                    kept.add(weight == e.weight() ? e : withWeight(e, (int) weight));
                    continue;
                }
                if (!mtls.test(e)) {
                    continue;
                }
                sample = e;
                long perGateway = weight / via.size();
                for (NetworkGateway gw : via) {
                    weights.merge(gw, perGateway, Long::sum);
                }
            }
            for (Map.Entry<NetworkGateway, Long> w : weights.entrySet()) {
                int weight = (int) Math.max(1, Math.min(w.getValue(), Integer.MAX_VALUE));
                Endpoint gw = gatewayEndpoint(w.getKey(), weight, java.util.Objects.requireNonNull(sample));
                gatewayEndpoints.add(gw);
                kept.add(gw);
            }
            if (!kept.isEmpty()) {
                out.add(new LocalityGroup(g.locality(), g.priority(), LocalityGroup.sumOfWeights(kept), kept));
            }
        }
        return new Result(List.copyOf(out), gatewayEndpoints);
    }

    private static Endpoint gatewayEndpoint(NetworkGateway gw, int weight, Endpoint remote) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(TopologyLabels.NETWORK, gw.network());
        if (!gw.cluster().isEmpty()) {
            labels.put(TopologyLabels.CLUSTER, gw.cluster());
        }
        return new Endpoint(
                remote.serviceHostname(),
                remote.servicePort(),
                gw.address(),
                gw.port(),
                "",
                remote.namespace(),
                Locality.EMPTY,
                labels,
                gw.network(),
                gw.cluster(),
                "",
                HealthStatus.HEALTHY,
                false,
                weight,
                "",
                Endpoint.TLS_MODE_ISTIO,
                gw.port());
    }

    private static Endpoint withWeight(Endpoint e, int weight) {
        return new Endpoint(
                e.serviceHostname(),
                e.servicePort(),
                e.address(),
                e.port(),
                e.workloadName(),
                e.namespace(),
                e.locality(),
                e.labels(),
                e.network(),
                e.cluster(),
                e.nodeName(),
                e.health(),
                e.sidecar(),
                weight,
                e.serviceAccount(),
                e.tlsMode(),
                e.workloadPort());
    }
}

package io.zonemesh.xds.locality;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import io.zonemesh.xds.security.MtlsTransportSockets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Renders final {@link LocalityGroup}s as a {@code ClusterLoadAssignment} (docs/XDS_SHAPES.md). */
public final class LoadAssignmentRenderer {
    /** Separates a sub_zone from the priority suffix given to repeated localities. */
    public static final String SUBZONE_PRIORITY_SEPARATOR = "~p";

    private LoadAssignmentRenderer() {}

    /**
     * One {@code LocalityLbEndpoints} per group, in the groups' order, each with its priority and
     * {@code load_balancing_weight} always set (grpc-java silently skips a locality without one,
     * LOCALITY.md §5.3).
     *
     * @param distinctSubZones give each group of a locality that appears more than once a
     *     {@code sub_zone} of {@code <subzone>~p<priority>}: grpc-java keys EDS localities by
     *     locality alone and a repeat overwrites the earlier entry (LOCALITY.md §5.4.1)
     */
    public static ClusterLoadAssignment render(
            String clusterName, List<LocalityGroup> groups, boolean distinctSubZones) {
        return render(clusterName, groups, distinctSubZones, e -> false);
    }

    /**
     * As {@link #render(String, List, boolean)}; endpoints {@code mtls} accepts also carry
     * {@code filter_metadata["envoy.transport_socket_match"] = {tlsMode: "istio"}}, which selects
     * the cluster's mutual TLS transport socket (Istio's {@code AppendLbEndpointMetadata}).
     */
    public static ClusterLoadAssignment render(
            String clusterName, List<LocalityGroup> groups, boolean distinctSubZones, Predicate<Endpoint> mtls) {
        Map<Locality, Integer> occurrences = new HashMap<>();
        for (LocalityGroup g : groups) {
            occurrences.merge(g.locality(), 1, Integer::sum);
        }
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(clusterName);
        for (LocalityGroup g : groups) {
            String subZone = g.locality().subzone();
            if (distinctSubZones && occurrences.getOrDefault(g.locality(), 0) > 1) {
                subZone = subZone + SUBZONE_PRIORITY_SEPARATOR + g.priority();
            }
            LocalityLbEndpoints.Builder lle = LocalityLbEndpoints.newBuilder()
                    .setLocality(io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                            .setRegion(g.locality().region())
                            .setZone(g.locality().zone())
                            .setSubZone(subZone))
                    .setPriority(g.priority())
                    .setLoadBalancingWeight(UInt32Value.of(g.weight()));
            for (Endpoint e : g.endpoints()) {
                lle.addLbEndpoints(lbEndpoint(e, mtls.test(e)));
            }
            cla.addEndpoints(lle);
        }
        return cla.build();
    }

    private static HealthStatus healthStatus(io.zonemesh.model.HealthStatus health) {
        return switch (health) {
            case HEALTHY -> HealthStatus.HEALTHY;
            case UNHEALTHY -> HealthStatus.UNHEALTHY;
            case DRAINING -> HealthStatus.DRAINING;
        };
    }

    private static LbEndpoint lbEndpoint(Endpoint e, boolean mtls) {
        Metadata.Builder metadata = Metadata.newBuilder();
        if (mtls) {
            metadata.putFilterMetadata(MtlsTransportSockets.MATCH_METADATA_KEY, MtlsTransportSockets.istioMatchMetadata());
        }
        return LbEndpoint.newBuilder()
                .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(Address.newBuilder()
                                .setSocketAddress(SocketAddress.newBuilder()
                                        .setAddress(e.address())
                                        .setPortValue(e.port()))))
                .setHealthStatus(healthStatus(e.health()))
                .setLoadBalancingWeight(UInt32Value.of(e.weight()))
                .setMetadata(metadata.putFilterMetadata(
                                "istio",
                                Struct.newBuilder()
                                        .putFields(
                                                "workload",
                                                Value.newBuilder()
                                                        .setStringValue(e.workloadName())
                                                        .build())
                                        .build()))
                .build();
    }
}

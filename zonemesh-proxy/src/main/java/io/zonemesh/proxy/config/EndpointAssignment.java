package io.zonemesh.proxy.config;

import io.zonemesh.lb.HostSpec;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A ClusterLoadAssignment flattened into hosts, plus its {@code policy.overprovisioning_factor}.
 *
 * @param overprovisioningFactor percent; Envoy's default is 140
 * @param socketMatchMetadata by host key ({@code address:port}): the endpoint's
 *     {@code filter_metadata["envoy.transport_socket_match"]} (string values; others in their
 *     JSON form), only for endpoints that have it
 */
public record EndpointAssignment(
        String clusterName,
        List<HostSpec> hosts,
        int overprovisioningFactor,
        Map<String, Map<String, String>> socketMatchMetadata) {

    /** Envoy's {@code policy.overprovisioning_factor} default. */
    public static final int DEFAULT_OVERPROVISIONING_FACTOR = 140;

    /** An assignment whose endpoints carry no {@code envoy.transport_socket_match} metadata. */
    public EndpointAssignment(String clusterName, List<HostSpec> hosts, int overprovisioningFactor) {
        this(clusterName, hosts, overprovisioningFactor, Map.of());
    }

    public EndpointAssignment {
        Objects.requireNonNull(clusterName, "clusterName");
        hosts = List.copyOf(hosts);
        socketMatchMetadata = Map.copyOf(socketMatchMetadata);
        if (overprovisioningFactor <= 0) {
            throw new IllegalArgumentException(
                    "overprovisioningFactor: " + overprovisioningFactor + " (expected: > 0)");
        }
    }
}

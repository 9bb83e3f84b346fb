package io.zonemesh.proxy.config;

import io.zonemesh.lb.HostSpec;
import java.util.List;
import java.util.Objects;

/**
 * A ClusterLoadAssignment flattened into hosts, plus its {@code policy.overprovisioning_factor}.
 *
 * @param overprovisioningFactor percent; Envoy's default is 140
 */
public record EndpointAssignment(String clusterName, List<HostSpec> hosts, int overprovisioningFactor) {

    /** Envoy's {@code policy.overprovisioning_factor} default. */
    public static final int DEFAULT_OVERPROVISIONING_FACTOR = 140;

    public EndpointAssignment {
        Objects.requireNonNull(clusterName, "clusterName");
        hosts = List.copyOf(hosts);
        if (overprovisioningFactor <= 0) {
            throw new IllegalArgumentException(
                    "overprovisioningFactor: " + overprovisioningFactor + " (expected: > 0)");
        }
    }
}

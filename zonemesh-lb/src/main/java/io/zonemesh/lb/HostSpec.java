package io.zonemesh.lb;

import java.util.Objects;

/**
 * One endpoint as the ClusterLoadAssignment describes it. Immutable; identity for keeping
 * outlier state across updates is {@code address:port}.
 *
 * @param locality {@code region/zone/subzone} as in the CLA's locality
 * @param priority the LocalityLbEndpoints priority (0 is best)
 * @param localityWeight the LocalityLbEndpoints {@code load_balancing_weight} (0 when unset)
 * @param weight the LbEndpoint {@code load_balancing_weight} (1 when unset)
 * @param healthy false when EDS says UNHEALTHY/DRAINING/TIMEOUT
 * @param name workload name from the endpoint metadata, or "" (display only)
 */
public record HostSpec(String address, int port, String locality, int priority, int localityWeight, int weight,
        boolean healthy, String name) {
    public HostSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(locality, "locality");
        Objects.requireNonNull(name, "name");
    }

    public String key() {
        return address + ":" + port;
    }
}

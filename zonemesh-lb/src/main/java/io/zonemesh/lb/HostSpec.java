package io.zonemesh.lb;

import java.util.Objects;

/**
 * One endpoint as the ClusterLoadAssignment describes it. Immutable. A host is identified by
 * {@link #identity()} (address, port, locality and priority): split-horizon EDS lists one
 * east-west gateway once per remote locality it fronts, each with that locality's weight
 * (zonemesh's fix for istio#56355, where Envoy dedups by address and loses the localities).
 * Outlier state is kept per {@link #key()} ({@code address:port}), shared by all of that
 * address's hosts: see {@code DefaultClusterLoadBalancer#apply}.
 *
 * @param locality {@code region/zone/subzone} as in the CLA's locality
 * @param priority the LocalityLbEndpoints priority (0 is best; at most 128 as Envoy's proto allows)
 * @param localityWeight the LocalityLbEndpoints {@code load_balancing_weight} (0 when unset)
 * @param weight the LbEndpoint {@code load_balancing_weight} (1 when unset)
 * @param healthy false when EDS says UNHEALTHY/DRAINING/TIMEOUT
 * @param name workload name from the endpoint metadata, or "" (display only)
 */
public record HostSpec(
        String address,
        int port,
        String locality,
        int priority,
        int localityWeight,
        int weight,
        boolean healthy,
        String name) {

    /** Envoy's {@code LocalityLbEndpoints.priority} validation: {@code uint32 lte: 128}. */
    public static final int MAX_PRIORITY = 128;

    public HostSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(locality, "locality");
        Objects.requireNonNull(name, "name");
        if (address.isEmpty()) {
            throw new IllegalArgumentException("address: \"\" (expected: an IP address or host name)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority: " + priority + " (expected: 0.." + MAX_PRIORITY + ")");
        }
        if (localityWeight < 0) {
            throw new IllegalArgumentException("localityWeight: " + localityWeight + " (expected: >= 0)");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
    }

    /** {@code address:port}: what a connection goes to, and the unit of outlier detection. */
    public String key() {
        return address + ":" + port;
    }

    /** {@code address:port|locality|Ppriority}: one host of the load balancer. */
    public String identity() {
        return key() + "|" + locality + "|P" + priority;
    }
}

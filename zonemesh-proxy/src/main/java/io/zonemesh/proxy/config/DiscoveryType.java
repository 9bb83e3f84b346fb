package io.zonemesh.proxy.config;

/** The cluster discovery types the proxy supports ({@code Cluster.type}). */
public enum DiscoveryType {
    /** Hosts come inline in the cluster's {@code load_assignment}, as IP addresses. */
    STATIC,
    /** Hosts come from a ClusterLoadAssignment over ADS. */
    EDS,
    /**
     * Hosts come inline in {@code load_assignment} as host names; every address each name
     * resolves to is a host, re-resolved every {@code dns_refresh_rate}.
     */
    STRICT_DNS
}

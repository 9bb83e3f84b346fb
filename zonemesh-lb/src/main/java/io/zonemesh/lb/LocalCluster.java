package io.zonemesh.lb;

import java.util.List;
import java.util.Objects;

/**
 * What Envoy's {@code cluster_manager.local_cluster_name} gives a load balancer: the endpoints of
 * the caller's own service (the local cluster) and the proxy's own locality. Zone-aware routing
 * compares the local cluster's healthy hosts per locality with the upstream's to decide how much
 * traffic can stay in the proxy's zone. Immutable.
 *
 * @param locality the proxy's node locality, {@code region/zone/subzone} as in {@link HostSpec#locality()}
 * @param hosts the local cluster's endpoints; health is the EDS health only (Istio's
 *     {@code local_cluster} has no outlier detection). Envoy requires a single priority for the
 *     local cluster, so hosts of priorities above 0 are ignored
 */
public record LocalCluster(String locality, List<HostSpec> hosts) {

    public LocalCluster {
        Objects.requireNonNull(locality, "locality");
        hosts = List.copyOf(hosts);
    }
}

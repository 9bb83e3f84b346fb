package io.zonemesh.proxy.snapshot;

import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.ClusterConfig;
import java.util.List;
import java.util.Objects;

/**
 * A cluster in service: its config, the hosts and load-balancer config last given to its load
 * balancer, and the load balancer and circuit breakers (which outlive snapshots while the
 * cluster stays).
 */
public record ActiveCluster(
        ClusterConfig config,
        ClusterLbConfig lbConfig,
        List<HostSpec> hosts,
        ClusterLoadBalancer loadBalancer,
        CircuitBreakers breakers) {

    public ActiveCluster {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(lbConfig, "lbConfig");
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        Objects.requireNonNull(breakers, "breakers");
    }

    public String name() {
        return config.name();
    }
}

package io.zonemesh.proxy.snapshot;

import io.zonemesh.common.Nullable;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.TransportSocketMatch;
import io.zonemesh.proxy.config.UpstreamTls;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A cluster in service: its config, the hosts and load-balancer config last given to its load
 * balancer, and the load balancer and circuit breakers (which outlive snapshots while the
 * cluster stays).
 *
 * @param socketMatchMetadata each host's {@code envoy.transport_socket_match} metadata by host
 *     key, for {@link #transportFor}
 */
public record ActiveCluster(
        ClusterConfig config,
        ClusterLbConfig lbConfig,
        List<HostSpec> hosts,
        ClusterLoadBalancer loadBalancer,
        CircuitBreakers breakers,
        Map<String, Map<String, String>> socketMatchMetadata) {

    public ActiveCluster {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(lbConfig, "lbConfig");
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        Objects.requireNonNull(breakers, "breakers");
        socketMatchMetadata = Map.copyOf(socketMatchMetadata);
    }

    /** A cluster whose hosts carry no transport socket match metadata. */
    public ActiveCluster(
            ClusterConfig config,
            ClusterLbConfig lbConfig,
            List<HostSpec> hosts,
            ClusterLoadBalancer loadBalancer,
            CircuitBreakers breakers) {
        this(config, lbConfig, hosts, loadBalancer, breakers, Map.of());
    }

    public String name() {
        return config.name();
    }

    /**
     * The transport socket for connections to {@code host}: the first of the cluster's
     * {@code transport_socket_matches} whose fields the host's metadata holds, else the cluster's
     * {@code transport_socket}; null for plaintext.
     */
    public @Nullable UpstreamTls transportFor(HostSpec host) {
        List<TransportSocketMatch> matches = config.transportSocketMatches();
        if (matches.isEmpty()) {
            return config.tls();
        }
        Map<String, String> metadata = socketMatchMetadata.getOrDefault(host.key(), Map.of());
        for (TransportSocketMatch match : matches) {
            if (match.matches(metadata)) {
                return match.tls();
            }
        }
        return config.tls();
    }
}

package io.zonemesh.proxy.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Envoy's {@code envoy.filters.network.tcp_proxy} as the proxy serves it: the upstream cluster
 * (or weighted clusters), the idle timeout and the connect attempts.
 *
 * @param statPrefix {@code stat_prefix}
 * @param clusters {@code cluster} as one entry of weight 1, or {@code weighted_clusters.clusters}
 * @param idleTimeout {@code idle_timeout}: Envoy's 1 h when unset, zero when set to 0 (disabled)
 * @param maxConnectAttempts {@code max_connect_attempts}, Envoy's 1 when unset
 */
public record TcpProxyConfig(
        String statPrefix, List<ClusterWeight> clusters, Duration idleTimeout, int maxConnectAttempts) {

    /** Envoy's {@code idle_timeout} default. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    /** One upstream cluster and its weight. */
    public record ClusterWeight(String name, int weight) {
        public ClusterWeight {
            Objects.requireNonNull(name, "name");
            if (weight < 1) {
                throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
            }
        }
    }

    public TcpProxyConfig {
        Objects.requireNonNull(statPrefix, "statPrefix");
        clusters = List.copyOf(clusters);
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("clusters: [] (expected: at least one)");
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: >= 0)");
        }
        if (maxConnectAttempts < 1) {
            throw new IllegalArgumentException("maxConnectAttempts: " + maxConnectAttempts + " (expected: >= 1)");
        }
    }

    /**
     * The cluster for one connection: the only one, or by weight, as Envoy's
     * {@code WeightedClusterEntry} pick ({@code random % total_weight} walked in order).
     *
     * @param random any non-negative value
     */
    public String pickCluster(long random) {
        if (clusters.size() == 1) {
            return clusters.get(0).name();
        }
        long total = clusters.stream().mapToLong(ClusterWeight::weight).sum();
        long point = Math.floorMod(random, total);
        for (ClusterWeight cluster : clusters) {
            point -= cluster.weight();
            if (point < 0) {
                return cluster.name();
            }
        }
        throw new AssertionError("point " + point + " past the total weight " + total);
    }
}

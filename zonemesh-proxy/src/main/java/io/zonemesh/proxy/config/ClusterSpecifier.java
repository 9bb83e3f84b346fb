package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import java.util.List;
import java.util.Objects;

/** Where a route sends traffic: Envoy's {@code RouteAction.cluster} or {@code weighted_clusters}. */
public sealed interface ClusterSpecifier {

    /** The cluster for one request; weighted choices draw from {@code random}. */
    String pick(RandomSource random);

    /** Every cluster this specifier can name. */
    List<String> clusterNames();

    /** The cluster for one request with what its weighted entry adds (header edits, host rewrite). */
    default Choice choose(RandomSource random) {
        return new Choice(pick(random), HeaderEdits.NONE, null);
    }

    /** A chosen cluster and its {@code weighted_clusters} entry's own edits. */
    record Choice(
            String cluster,
            HeaderEdits headerEdits,
            @Nullable String hostRewrite) {}

    record Single(String cluster) implements ClusterSpecifier {
        public Single {
            Objects.requireNonNull(cluster, "cluster");
            if (cluster.isEmpty()) {
                throw new IllegalArgumentException("cluster: \"\" (expected: non-empty)");
            }
        }

        @Override
        public String pick(RandomSource random) {
            return cluster;
        }

        @Override
        public List<String> clusterNames() {
            return List.of(cluster);
        }
    }

    /**
     * {@code weighted_clusters}: a cluster is chosen with probability weight / total, as Envoy
     * does by walking the cumulative weights with one random number.
     */
    record Weighted(List<WeightedCluster> clusters) implements ClusterSpecifier {
        public Weighted {
            clusters = List.copyOf(clusters);
            if (clusters.isEmpty()) {
                throw new IllegalArgumentException("clusters: [] (expected: at least one weighted cluster)");
            }
            if (clusters.stream().mapToLong(WeightedCluster::weight).sum() <= 0) {
                throw new IllegalArgumentException("clusters: " + clusters + " (expected: total weight > 0)");
            }
        }

        public long totalWeight() {
            return clusters.stream().mapToLong(WeightedCluster::weight).sum();
        }

        @Override
        public String pick(RandomSource random) {
            return entry(random).name();
        }

        @Override
        public Choice choose(RandomSource random) {
            WeightedCluster entry = entry(random);
            return new Choice(entry.name(), entry.headerEdits(), entry.hostRewrite());
        }

        private WeightedCluster entry(RandomSource random) {
            long point = random.nextLong(totalWeight());
            for (WeightedCluster cluster : clusters) {
                point -= cluster.weight();
                if (point < 0) {
                    return cluster;
                }
            }
            throw new AssertionError("weights sum to " + totalWeight());
        }

        @Override
        public List<String> clusterNames() {
            return clusters.stream().map(WeightedCluster::name).toList();
        }
    }

    /**
     * One {@code weighted_clusters.clusters[]} entry; its header edits apply when it is picked,
     * before the route's, and its {@code host_rewrite_literal} overrides the route's.
     */
    record WeightedCluster(
            String name,
            long weight,
            HeaderEdits headerEdits,
            @Nullable String hostRewrite) {
        public WeightedCluster(String name, long weight) {
            this(name, weight, HeaderEdits.NONE, null);
        }

        public WeightedCluster {
            Objects.requireNonNull(headerEdits, "headerEdits");
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("name: \"\" (expected: non-empty)");
            }
            if (weight < 0) {
                throw new IllegalArgumentException("weight: " + weight + " (expected: >= 0)");
            }
        }
    }
}

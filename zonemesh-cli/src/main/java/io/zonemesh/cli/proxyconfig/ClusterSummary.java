package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/**
 * {@code proxy-config clusters}: istioctl's cluster writer. Clusters sorted by service FQDN,
 * subset, port, direction (of their Istio name); columns SERVICE FQDN, PORT, SUBSET, DIRECTION,
 * TYPE, DESTINATION RULE.
 */
final class ClusterSummary {
    private ClusterSummary() {}

    /**
     * istioctl's {@code ClusterFilter}: substrings of the cluster name ({@code --fqdn},
     * {@code --direction}, {@code --subset}) and {@code |<port>|} for {@code --port}.
     */
    record Filter(String fqdn, int port, String subset, String direction) {
        boolean matches(String name) {
            return name.contains(fqdn)
                    && name.contains(direction)
                    && name.contains(subset)
                    && (port == 0 || name.contains("|" + port + "|"));
        }
    }

    /** The dump's clusters that pass the filter, in istioctl's order. */
    static List<JsonNode> select(ConfigDumpJson dump, Filter filter) {
        List<JsonNode> clusters = dump.clusters();
        if (clusters.isEmpty()) {
            throw new IllegalStateException("no clusters found");
        }
        return clusters.stream()
                .sorted(Comparator.comparing((JsonNode c) -> key(c).host())
                        .thenComparing(c -> key(c).subset())
                        .thenComparingInt(c -> key(c).port())
                        .thenComparing(c -> key(c).direction()))
                .filter(c -> filter.matches(c.path("name").asText()))
                .toList();
    }

    static TabWriter table(List<JsonNode> clusters) {
        TabWriter table =
                new TabWriter(5).row("SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE");
        for (JsonNode c : clusters) {
            SubsetKey key = key(c);
            String management = IstioMetadata.describe(c.path("metadata"));
            if (key.subsetKey()) {
                table.row(
                        key.host(),
                        Integer.toString(key.port()),
                        key.subset().isEmpty() ? "-" : key.subset(),
                        key.direction(),
                        type(c),
                        management);
            } else {
                table.row(key.host(), "-", "-", "-", type(c), management);
            }
        }
        return table;
    }

    /** The discovery type; JSON leaves out the default, STATIC. */
    private static String type(JsonNode cluster) {
        return cluster.path("type").asText("STATIC");
    }

    private static SubsetKey key(JsonNode cluster) {
        return SubsetKey.parse(cluster.path("name").asText());
    }
}

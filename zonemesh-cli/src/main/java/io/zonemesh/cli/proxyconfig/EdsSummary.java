package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/**
 * The endpoint part of {@code proxy-config all}: istioctl's EDS writer over the dump's
 * ClusterLoadAssignments ({@code ?include_eds}): NAME ({@code endpoint/<address:port>}), STATUS (the
 * assignment's health status), LOCALITY, CLUSTER; assignments ordered as clusters are.
 */
final class EdsSummary {
    private EdsSummary() {}

    static TabWriter table(ConfigDumpJson dump, EndpointSummary.Filter filter) {
        List<JsonNode> assignments = dump.endpoints().stream()
                .sorted(Comparator.comparing((JsonNode a) -> key(a).host())
                        .thenComparing(a -> key(a).subset())
                        .thenComparingInt(a -> key(a).port())
                        .thenComparing(a -> key(a).direction()))
                .toList();
        TabWriter table = new TabWriter(5).row("NAME", "STATUS", "LOCALITY", "CLUSTER");
        for (JsonNode cla : assignments) {
            String cluster = cla.path("cluster_name").asText();
            for (JsonNode group : cla.path("endpoints")) {
                for (JsonNode lb : group.path("lb_endpoints")) {
                    JsonNode socket = lb.path("endpoint").path("address").path("socket_address");
                    String address = socket.path("address").asText() + ":"
                            + socket.path("port_value").asInt();
                    String status = lb.path("health_status").asText("UNKNOWN");
                    if (matches(filter, address, socket.path("port_value").asInt(), cluster, status)) {
                        // `all` is this table's only user: istioctl names the row's config type there.
                        table.row(
                                "endpoint/" + address,
                                status,
                                EndpointSummary.locality(group.path("locality")),
                                cluster);
                    }
                }
            }
        }
        return table;
    }

    /** istioctl's EDS {@code EndpointFilter}: here the address includes the port. */
    private static boolean matches(EndpointSummary.Filter f, String address, int port, String cluster, String status) {
        return (f.address().isEmpty() || f.address().equalsIgnoreCase(address))
                && (f.port() == 0 || f.port() == port)
                && (f.cluster().isEmpty() || f.cluster().equalsIgnoreCase(cluster))
                && (f.status().isEmpty() || f.status().equalsIgnoreCase(status));
    }

    private static SubsetKey key(JsonNode cla) {
        return SubsetKey.parse(cla.path("cluster_name").asText());
    }
}

package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code proxy-config endpoints}: istioctl's clusters writer over Envoy's {@code /clusters?format=json}
 * (not EDS: only {@code /clusters} knows outlier ejections). One row per host, sorted by address,
 * port, cluster: ENDPOINT, STATUS (the EDS health status), OUTLIER CHECK (FAILED while outlier
 * detection ejects the host), CLUSTER; {@code -o wide} adds LOCALITY, PRIORITY and WEIGHT.
 */
final class EndpointSummary {
    private EndpointSummary() {}

    /** istioctl's {@code EndpointFilter}: address, cluster and status compare case-insensitively. */
    record Filter(String address, int port, String cluster, String status) {
        boolean matches(JsonNode host, String clusterName) {
            return (address.isEmpty() || address.equalsIgnoreCase(EndpointSummary.address(host)))
                    && (port == 0 || EndpointSummary.port(host) == port)
                    && (cluster.isEmpty() || cluster.equalsIgnoreCase(clusterName))
                    && (status.isEmpty() || status.equalsIgnoreCase(EndpointSummary.status(host)));
        }
    }

    /** One host of one cluster. */
    record Row(String address, int port, String cluster, JsonNode host) {
        String endpoint() {
            return port != 0 ? address + ":" + port : address;
        }
    }

    static List<Row> select(JsonNode clusters, Filter filter) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode cluster : clusters.path("cluster_statuses")) {
            String name = cluster.path("name").asText();
            for (JsonNode host : cluster.path("host_statuses")) {
                if (filter.matches(host, name)) {
                    rows.add(new Row(address(host), port(host), name, host));
                }
            }
        }
        rows.sort(Comparator.comparing(Row::address).thenComparingInt(Row::port).thenComparing(Row::cluster));
        return rows;
    }

    /** istioctl's JSON: every cluster status with at least one host passing the filter, whole. */
    static List<JsonNode> clusterStatuses(JsonNode clusters, Filter filter) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode cluster : clusters.path("cluster_statuses")) {
            for (JsonNode host : cluster.path("host_statuses")) {
                if (filter.matches(host, cluster.path("name").asText())) {
                    out.add(cluster);
                    break;
                }
            }
        }
        return out;
    }

    static TabWriter table(List<Row> rows, boolean wide) {
        TabWriter table = wide
                ? new TabWriter(5)
                        .row("ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER", "LOCALITY", "PRIORITY", "WEIGHT")
                : new TabWriter(5).row("ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER");
        for (Row r : rows) {
            String outlier =
                    r.host().path("health_status").path("failed_outlier_check").asBoolean() ? "FAILED" : "OK";
            if (wide) {
                table.row(
                        r.endpoint(),
                        status(r.host()),
                        outlier,
                        r.cluster(),
                        locality(r.host().path("locality")),
                        Integer.toString(r.host().path("priority").asInt()),
                        Integer.toString(r.host().path("weight").asInt()));
            } else {
                table.row(r.endpoint(), status(r.host()), outlier, r.cluster());
            }
        }
        return table;
    }

    /** The EDS health status name; JSON leaves out the default, UNKNOWN. */
    static String status(JsonNode host) {
        return host.path("health_status").path("eds_health_status").asText("UNKNOWN");
    }

    /** Istio's {@code LocalityToString}: region, then /zone, then /subzone, stopping at the first empty. */
    static String locality(JsonNode locality) {
        String out = locality.path("region").asText();
        String zone = locality.path("zone").asText();
        if (zone.isEmpty()) {
            return out;
        }
        out += "/" + zone;
        String subZone = locality.path("sub_zone").asText();
        return subZone.isEmpty() ? out : out + "/" + subZone;
    }

    private static String address(JsonNode host) {
        JsonNode socket = host.path("address").path("socket_address");
        return socket.isMissingNode()
                ? "unix://" + host.path("address").path("pipe").path("path").asText()
                : socket.path("address").asText();
    }

    private static int port(JsonNode host) {
        return host.path("address").path("socket_address").path("port_value").asInt();
    }
}

package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * An Envoy {@code /config_dump} as JSON (Envoy's proto field names), read section by section as
 * istioctl's config writer does: the {@code configs[]} entry of each {@code envoy.admin.v3.*ConfigDump}
 * type, dynamic resources first, then static ones. Read as a JSON tree rather than protos so that
 * typed configs of any type, from any proxy, read.
 */
final class ConfigDumpJson {
    private static final String ADMIN = "type.googleapis.com/envoy.admin.v3.";
    private final JsonNode dump;

    ConfigDumpJson(JsonNode dump) {
        this.dump = dump;
    }

    /** The {@code ClustersConfigDump}'s clusters: dynamic_active_clusters, then static_clusters. */
    List<JsonNode> clusters() {
        JsonNode section = section("ClustersConfigDump");
        List<JsonNode> out = new ArrayList<>();
        section.path("dynamic_active_clusters").forEach(c -> addIfPresent(out, c.path("cluster")));
        section.path("static_clusters").forEach(c -> addIfPresent(out, c.path("cluster")));
        return out;
    }

    /** Active listeners (dynamic_listeners[].active_state.listener), then static_listeners. */
    List<JsonNode> listeners() {
        JsonNode section = section("ListenersConfigDump");
        List<JsonNode> out = new ArrayList<>();
        section.path("dynamic_listeners")
                .forEach(l -> addIfPresent(out, l.path("active_state").path("listener")));
        section.path("static_listeners").forEach(l -> addIfPresent(out, l.path("listener")));
        return out;
    }

    /** RDS route configurations (dynamic_route_configs), then static_route_configs. */
    List<JsonNode> routes() {
        JsonNode section = section("RoutesConfigDump");
        List<JsonNode> out = new ArrayList<>();
        section.path("dynamic_route_configs").forEach(r -> addIfPresent(out, r.path("route_config")));
        section.path("static_route_configs").forEach(r -> addIfPresent(out, r.path("route_config")));
        return out;
    }

    /** ClusterLoadAssignments ({@code ?include_eds}): dynamic_endpoint_configs, then static ones. */
    List<JsonNode> endpoints() {
        JsonNode section = section("EndpointsConfigDump");
        List<JsonNode> out = new ArrayList<>();
        section.path("dynamic_endpoint_configs").forEach(e -> addIfPresent(out, e.path("endpoint_config")));
        section.path("static_endpoint_configs").forEach(e -> addIfPresent(out, e.path("endpoint_config")));
        return out;
    }

    /** The {@code configs[]} entry of {@code envoy.admin.v3.<type>}, or a missing node. */
    private JsonNode section(String type) {
        for (JsonNode config : dump.path("configs")) {
            if ((ADMIN + type).equals(config.path("@type").asText())) {
                return config;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static void addIfPresent(List<JsonNode> out, JsonNode node) {
        if (!node.isMissingNode() && !node.isNull()) {
            out.add(node);
        }
    }
}

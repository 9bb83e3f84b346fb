package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** istioctl's MATCH and DESTINATION cells of a listener's filter chain. */
final class ListenerMatches {
    /** istioctl's names for Istio's ALPN lists (matched whole, in order). */
    private static final Map<String, List<String>> PROTOCOLS = new LinkedHashMap<>();

    static {
        PROTOCOLS.put(
                "App: HTTP TLS",
                List.of("http/1.0", "http/1.1", "h2c", "istio-http/1.0", "istio-http/1.1", "istio-h2"));
        PROTOCOLS.put("App: Istio HTTP Plain", List.of("istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"));
        PROTOCOLS.put("App: TCP TLS", List.of("istio-peer-exchange", "istio"));
        PROTOCOLS.put("App: HTTP", List.of("http/1.0", "http/1.1", "h2c"));
    }

    private ListenerMatches() {}

    /** SNI, transport, ALPN and destination address/port of a filter_chain_match; ALL for none. */
    static String describe(JsonNode match) {
        List<String> parts = new ArrayList<>();
        List<String> serverNames = strings(match.path("server_names"));
        if (!serverNames.isEmpty()) {
            parts.add("SNI: " + String.join(",", serverNames));
        }
        String transport = match.path("transport_protocol").asText();
        if (!transport.isEmpty()) {
            parts.add("Trans: " + transport);
        }
        List<String> alpn = strings(match.path("application_protocols"));
        if (!alpn.isEmpty()) {
            String named = PROTOCOLS.entrySet().stream()
                    .filter(e -> e.getValue().equals(alpn))
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElse("App: " + String.join(",", alpn));
            parts.add(named);
        }
        String port = match.has("destination_port")
                ? ":" + match.path("destination_port").asLong()
                : "";
        List<String> prefixes = new ArrayList<>();
        match.path("prefix_ranges")
                .forEach(p -> prefixes.add(p.path("address_prefix").asText() + "/"
                        + p.path("prefix_len").asLong()));
        if (!prefixes.isEmpty()) {
            parts.add("Addr: " + String.join(",", prefixes) + port);
        } else if (!port.isEmpty()) {
            parts.add("Addr: *" + port);
        }
        return parts.isEmpty() ? "ALL" : String.join("; ", parts);
    }

    /** Where the chain sends traffic: its HCM's routes, or its TCP proxy's cluster. */
    static String destination(JsonNode filters) {
        for (JsonNode filter : filters) {
            String name = filter.path("name").asText();
            JsonNode config = filter.path("typed_config");
            if (name.equals(ListenerSummary.HCM)) {
                if (config.has("route_config")) {
                    return describeRouteConfig(config.path("route_config"));
                }
                String rds = config.path("rds").path("route_config_name").asText();
                return rds.isEmpty() ? "HTTP" : "Route: " + rds;
            }
            if (name.equals(ListenerSummary.TCP_PROXY) && !config.toString().contains("BlackHoleCluster")) {
                String cluster = config.path("cluster").asText();
                return cluster.contains("Cluster") ? cluster : "Cluster: " + cluster;
            }
        }
        return "Non-HTTP/Non-TCP";
    }

    private static String describeRouteConfig(JsonNode routeConfig) {
        String matchAll = matchAllCluster(routeConfig);
        if (!matchAll.isEmpty()) {
            return matchAll;
        }
        List<String> hosts = new ArrayList<>();
        for (JsonNode vh : routeConfig.path("virtual_hosts")) {
            String domains = domains(vh);
            String routes = routes(vh);
            hosts.add(domains.isEmpty() ? routes : domains + " " + routes);
        }
        return "Inline Route: " + String.join("; ", hosts);
    }

    /** The cluster of a route configuration that is one {@code *} host routing {@code /} to it. */
    private static String matchAllCluster(JsonNode routeConfig) {
        JsonNode hosts = routeConfig.path("virtual_hosts");
        if (hosts.size() != 1 || !strings(hosts.get(0).path("domains")).equals(List.of("*"))) {
            return "";
        }
        JsonNode routes = hosts.get(0).path("routes");
        if (routes.size() != 1
                || !"/".equals(routes.get(0).path("match").path("prefix").asText(null))) {
            return "";
        }
        JsonNode cluster = routes.get(0).path("route").path("cluster");
        if (cluster.isMissingNode()) {
            return "";
        }
        return cluster.asText().contains("Cluster") ? cluster.asText() : "Cluster: " + cluster.asText();
    }

    private static String domains(JsonNode vh) {
        List<String> domains = strings(vh.path("domains"));
        return domains.equals(List.of("*")) ? "" : String.join("/", domains);
    }

    private static String routes(JsonNode vh) {
        List<String> out = new ArrayList<>();
        vh.path("routes").forEach(r -> out.add(describeMatch(r.path("match"))));
        return String.join(", ", out);
    }

    /** A route match: {@code <prefix>*}, {@code PathPrefix:<p>}, the path, {@code regex <r>}. */
    static String describeMatch(JsonNode match) {
        List<String> conds = new ArrayList<>();
        if (!match.path("prefix").asText().isEmpty()) {
            conds.add(match.path("prefix").asText() + "*");
        }
        if (!match.path("path_separated_prefix").asText().isEmpty()) {
            conds.add("PathPrefix:" + match.path("path_separated_prefix").asText());
        }
        if (!match.path("path").asText().isEmpty()) {
            conds.add(match.path("path").asText());
        }
        if (match.has("safe_regex")) {
            conds.add("regex " + match.path("safe_regex").path("regex").asText());
        }
        return String.join(" ", conds);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

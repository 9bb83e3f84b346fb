package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code proxy-config routes}: istioctl's route writer over the RDS route configurations.
 * Verbose (the default): one row per route (NAME, DOMAINS, MATCH, VIRTUAL SERVICE), routes to
 * PassthroughCluster left out and a host without routes shown as {@code /* 404};
 * {@code --verbose=false}: NAME, VIRTUAL HOSTS (a count).
 */
final class RouteSummary {
    private RouteSummary() {}

    /**
     * The route configurations named {@code name} (all for an empty name). istioctl sorts them by
     * their names read as numbers (Istio's port-named routes); its comparator leaves other names
     * unordered, so here they keep the dump's (name) order, and numeric names sort when all are.
     */
    static List<JsonNode> select(ConfigDumpJson dump, String name) {
        List<JsonNode> routes = new ArrayList<>(dump.routes());
        if (routes.isEmpty()) {
            throw new IllegalStateException("no routes found");
        }
        if (routes.stream().allMatch(r -> r.path("name").asText().matches("-?\\d{1,9}"))) {
            routes.sort(
                    Comparator.comparingInt(r -> Integer.parseInt(r.path("name").asText())));
        }
        return routes.stream()
                .filter(r -> name.isEmpty() || name.equals(r.path("name").asText()))
                .toList();
    }

    static TabWriter table(List<JsonNode> routes, boolean verbose) {
        if (!verbose) {
            TabWriter table = new TabWriter(5).row("NAME", "VIRTUAL HOSTS");
            routes.forEach(r -> table.row(
                    r.path("name").asText(),
                    Integer.toString(r.path("virtual_hosts").size())));
            return table;
        }
        TabWriter table = new TabWriter(5).row("NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE");
        for (JsonNode config : routes) {
            String name = config.path("name").asText();
            for (JsonNode vh : config.path("virtual_hosts")) {
                String domains = describeDomains(ListenerMatches.strings(vh.path("domains")));
                for (JsonNode route : vh.path("routes")) {
                    if (!"PassthroughCluster"
                            .equals(route.path("route").path("cluster").asText())) {
                        table.row(
                                name,
                                domains,
                                ListenerMatches.describeMatch(route.path("match")),
                                IstioMetadata.describe(route.path("metadata")));
                    }
                }
                if (vh.path("routes").isEmpty()) {
                    table.row(name, domains, "/*", "404");
                }
            }
        }
        return table;
    }

    /**
     * istioctl's {@code describeRouteDomains}: the only domain, or the domains without a port
     * (bare IPv6 literals kept), {@code .svc.cluster.local}/{@code .svc} expansions of a shorter
     * one dropped, at most two and {@code + N more...}.
     */
    static String describeDomains(List<String> domains) {
        if (domains.isEmpty()) {
            return "";
        }
        if (domains.size() == 1) {
            return domains.get(0);
        }
        List<String> withoutPort = new ArrayList<>();
        for (String d : domains) {
            long colons = d.chars().filter(c -> c == ':').count();
            if (colons == 0 || (colons > 2 && d.endsWith("]"))) {
                withoutPort.add(d);
            }
        }
        List<String> shown = unexpand(withoutPort);
        if (shown.size() > 2) {
            return String.join(", ", shown.subList(0, 2)) + " + " + (shown.size() - 2) + " more...";
        }
        return String.join(", ", shown);
    }

    private static List<String> unexpand(List<String> domains) {
        Set<String> unique = new LinkedHashSet<>(domains);
        List<String> out = new ArrayList<>();
        for (String d : domains) {
            boolean expansion = (d.endsWith(".svc.cluster.local")
                            && unique.contains(d.substring(0, d.length() - ".svc.cluster.local".length())))
                    || (d.endsWith(".svc") && unique.contains(d.substring(0, d.length() - ".svc".length())));
            if (!expansion) {
                out.add(d);
            }
        }
        return out;
    }
}

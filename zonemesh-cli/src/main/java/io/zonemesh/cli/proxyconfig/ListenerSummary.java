package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code proxy-config listeners}: istioctl's listener writer. Listeners sorted by port, address,
 * type; verbose (the default) gives one row per filter chain (ADDRESSES, PORT, MATCH,
 * DESTINATION), {@code --verbose=false} one per listener (ADDRESSES, PORT, TYPE).
 */
final class ListenerSummary {
    static final String HCM = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

    private ListenerSummary() {}

    /** istioctl's {@code ListenerFilter}: address and type compare case-insensitively. */
    record Filter(String address, int port, String type) {
        boolean matches(JsonNode listener) {
            return (address.isEmpty() || address.equalsIgnoreCase(ListenerSummary.address(listener)))
                    && (port == 0 || ListenerSummary.port(listener) == port)
                    && (type.isEmpty() || type.equalsIgnoreCase(ListenerSummary.type(listener)));
        }
    }

    static List<JsonNode> select(ConfigDumpJson dump, Filter filter) {
        List<JsonNode> listeners = dump.listeners();
        if (listeners.isEmpty()) {
            throw new IllegalStateException("no listeners found");
        }
        return listeners.stream()
                .filter(filter::matches)
                .sorted(Comparator.comparingInt(ListenerSummary::port)
                        .thenComparing(ListenerSummary::address)
                        .thenComparing(ListenerSummary::type))
                .toList();
    }

    static TabWriter table(List<JsonNode> listeners, boolean verbose) {
        return table(listeners, verbose, false);
    }

    /**
     * @param withName a first column NAME, {@code listener/<name>}, as istioctl's {@code all}
     *     prints it (its "config type in summary")
     */
    static TabWriter table(List<JsonNode> listeners, boolean verbose, boolean withName) {
        List<String> header = new ArrayList<>(withName ? List.of("NAME") : List.of());
        header.addAll(
                verbose ? List.of("ADDRESSES", "PORT", "MATCH", "DESTINATION") : List.of("ADDRESSES", "PORT", "TYPE"));
        TabWriter table = new TabWriter(1).row(header.toArray(String[]::new));
        for (JsonNode l : listeners) {
            String name = "listener/" + l.path("name").asText();
            String addresses = String.join(",", addresses(l));
            String port = Integer.toString(port(l));
            if (!verbose) {
                table.row(cells(withName, name, addresses, port, type(l)));
                continue;
            }
            List<String[]> chains = new ArrayList<>();
            for (JsonNode chain : filterChains(l)) {
                chains.add(new String[] {
                    ListenerMatches.describe(chain.path("filter_chain_match")),
                    ListenerMatches.destination(chain.path("filters"))
                });
            }
            // istioctl orders a listener's chains by destination, descending.
            chains.sort(Comparator.comparing((String[] c) -> c[1]).reversed());
            for (String[] chain : chains) {
                table.row(cells(withName, name, addresses, port, chain[0], chain[1]));
            }
        }
        return table;
    }

    private static String[] cells(boolean withName, String name, String... cells) {
        if (!withName) {
            return cells;
        }
        String[] out = new String[cells.length + 1];
        out[0] = name;
        System.arraycopy(cells, 0, out, 1, cells.length);
        return out;
    }

    /** HTTP, TCP, HTTP+TCP or UNKNOWN by the network filters of all chains (BlackHole TCP aside). */
    static String type(JsonNode listener) {
        int http = 0;
        int tcp = 0;
        for (JsonNode chain : filterChains(listener)) {
            for (JsonNode filter : chain.path("filters")) {
                String name = filter.path("name").asText();
                if (name.equals(HCM)) {
                    http++;
                } else if (name.equals(TCP_PROXY)
                        && !filter.path("typed_config").toString().contains("BlackHoleCluster")) {
                    tcp++;
                }
            }
        }
        if (http > 0) {
            return tcp == 0 ? "HTTP" : "HTTP+TCP";
        }
        return tcp > 0 ? "TCP" : "UNKNOWN";
    }

    static List<JsonNode> filterChains(JsonNode listener) {
        List<JsonNode> chains = new ArrayList<>();
        listener.path("filter_chains").forEach(chains::add);
        if (listener.has("default_filter_chain")) {
            chains.add(listener.path("default_filter_chain"));
        }
        return chains;
    }

    static String address(JsonNode listener) {
        JsonNode address = listener.path("address");
        if (address.has("socket_address")) {
            return address.path("socket_address").path("address").asText();
        }
        return address.path("pipe").path("path").asText();
    }

    private static List<String> addresses(JsonNode listener) {
        List<String> out = new ArrayList<>();
        out.add(address(listener));
        listener.path("additional_addresses")
                .forEach(a -> out.add(
                        a.path("address").path("socket_address").path("address").asText()));
        return out;
    }

    static int port(JsonNode listener) {
        return listener.path("address")
                .path("socket_address")
                .path("port_value")
                .asInt();
    }
}

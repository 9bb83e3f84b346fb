package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.TcpChain;
import io.zonemesh.proxy.config.TcpProxyConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One filter chain whose only filter is {@code envoy.filters.network.tcp_proxy}: its
 * {@code filter_chain_match} (destination port, server names, transport protocol, application
 * protocols; the address and source fields are NACKed, zonemesh-proxy does not match on them)
 * and its proxy. TLS is passed through, never terminated, so such a chain has no
 * {@code transport_socket}. The proxy's {@code access_log} settings are accepted and ignored
 * (zonemesh-proxy writes no TCP access log yet); every other field it does not implement is NACKed.
 */
final class TcpProxyParser {
    static final String TCP_PROXY_TYPE_URL =
            "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy";
    private static final Set<String> TRANSPORT_PROTOCOLS = Set.of("", "tls", "raw_buffer");

    private TcpProxyParser() {}

    /** Whether the filter is a {@code tcp_proxy}, by name or by type. */
    static boolean isTcpProxy(Filter filter) {
        return filter.getName().equals(ListenerParser.TCP_PROXY_NAME)
                || (filter.hasTypedConfig()
                        && filter.getTypedConfig().getTypeUrl().equals(TCP_PROXY_TYPE_URL));
    }

    // A part is null only after its parse recorded an error; the method returns before building then.
    @SuppressWarnings("NullAway")
    static @Nullable TcpChain parse(FilterChain chain, ValidationErrors errors, String path) {
        int before = errors.count();
        FilterChainMatch match = chain.getFilterChainMatch();
        String matchPath = path + ".filter_chain_match";
        int port = 0;
        if (match.hasDestinationPort()) {
            port = match.getDestinationPort().getValue();
            if (port < 1 || port > 65535) {
                errors.add(matchPath + ".destination_port", port, "1..65535");
            }
        }
        List<String> serverNames = new ArrayList<>();
        for (int i = 0; i < match.getServerNamesCount(); i++) {
            String name = match.getServerNames(i);
            // Envoy: a wildcard only as a whole leading label ("*.example.com").
            if (name.isEmpty() || (name.contains("*") && !(name.startsWith("*.") && name.lastIndexOf('*') == 0))) {
                errors.add(
                        matchPath + ".server_names[" + i + "]",
                        ValidationErrors.quote(name),
                        "a host name or a *. wildcard");
            }
            serverNames.add(name.toLowerCase(Locale.ROOT));
        }
        if (!TRANSPORT_PROTOCOLS.contains(match.getTransportProtocol())) {
            errors.add(
                    matchPath + ".transport_protocol",
                    ValidationErrors.quote(match.getTransportProtocol()),
                    "\"tls\", \"raw_buffer\" or unset (what tls_inspector detects)");
        }
        if (match.getPrefixRangesCount() > 0
                || !match.getAddressSuffix().isEmpty()
                || match.hasSuffixLen()
                || match.getDirectSourcePrefixRangesCount() > 0
                || match.getSourceType() != FilterChainMatch.ConnectionSourceType.ANY
                || match.getSourcePrefixRangesCount() > 0
                || match.getSourcePortsCount() > 0) {
            errors.add(
                    matchPath,
                    TextFormat.shortDebugString(match),
                    "only destination_port, server_names, transport_protocol and application_protocols "
                            + "(zonemesh-proxy does not match tcp_proxy chains on addresses)");
        }
        if (chain.hasTransportSocket()) {
            errors.add(
                    path + ".transport_socket",
                    chain.getTransportSocket().getName(),
                    "unset on a tcp_proxy chain (zonemesh-proxy passes TLS through, it does not terminate it)");
        }
        TcpProxyConfig proxy = null;
        if (chain.getFiltersCount() != 1 || !isTcpProxy(chain.getFilters(0))) {
            errors.add(
                    path + ".filters",
                    chain.getFiltersList().stream().map(Filter::getName).toList(),
                    "exactly one filter, " + ListenerParser.TCP_PROXY_NAME);
        } else {
            proxy = proxy(chain.getFilters(0), errors, path + ".filters[0].typed_config");
        }
        if (errors.count() > before) {
            return null;
        }
        return new TcpChain(
                chain.getName(),
                port,
                serverNames,
                match.getTransportProtocol(),
                match.getApplicationProtocolsList(),
                proxy);
    }

    // idle is null only after its parse recorded an error; the method returns before building then.
    @SuppressWarnings("NullAway")
    private static @Nullable TcpProxyConfig proxy(Filter filter, ValidationErrors errors, String path) {
        Any any = filter.getTypedConfig();
        if (!filter.hasTypedConfig() || !any.getTypeUrl().equals(TCP_PROXY_TYPE_URL)) {
            errors.add(path, filter.hasTypedConfig() ? any.getTypeUrl() : "unset", TCP_PROXY_TYPE_URL);
            return null;
        }
        TcpProxy proto;
        try {
            proto = any.unpack(TcpProxy.class);
        } catch (InvalidProtocolBufferException e) {
            errors.add(path, "undecodable bytes", "a valid TcpProxy (" + e.getMessage() + ")");
            return null;
        }
        int before = errors.count();
        if (proto.getStatPrefix().isEmpty()) {
            errors.add(path + ".stat_prefix", "\"\"", "non-empty");
        }
        List<TcpProxyConfig.ClusterWeight> clusters = new ArrayList<>();
        switch (proto.getClusterSpecifierCase()) {
            case CLUSTER -> {
                if (proto.getCluster().isEmpty()) {
                    errors.add(path + ".cluster", "\"\"", "a cluster name");
                }
                clusters.add(new TcpProxyConfig.ClusterWeight(proto.getCluster(), 1));
            }
            case WEIGHTED_CLUSTERS -> {
                List<TcpProxy.WeightedCluster.ClusterWeight> weights =
                        proto.getWeightedClusters().getClustersList();
                if (weights.size() < 2) {
                    errors.add(path + ".weighted_clusters.clusters", weights.size() + " entries", "at least 2");
                }
                for (int i = 0; i < weights.size(); i++) {
                    TcpProxy.WeightedCluster.ClusterWeight w = weights.get(i);
                    String wPath = path + ".weighted_clusters.clusters[" + i + "]";
                    if (w.getName().isEmpty() || w.getWeight() < 1) {
                        errors.add(wPath, TextFormat.shortDebugString(w), "a name and a weight >= 1");
                    } else if (w.hasMetadataMatch()) {
                        errors.add(wPath + ".metadata_match", "set", "unset (subset load balancing is not supported)");
                    } else {
                        clusters.add(new TcpProxyConfig.ClusterWeight(w.getName(), w.getWeight()));
                    }
                }
            }
            default -> errors.add(path, "no cluster", "cluster or weighted_clusters");
        }
        unsupported(proto, errors, path);
        Duration idle = TcpProxyConfig.DEFAULT_IDLE_TIMEOUT;
        if (proto.hasIdleTimeout()) {
            idle = ProtoValues.duration(proto.getIdleTimeout(), errors, path + ".idle_timeout");
        }
        int attempts = 1;
        if (proto.hasMaxConnectAttempts()) {
            attempts = ProtoValues.uint32(true, proto.getMaxConnectAttempts(), 1);
            if (attempts < 1) {
                errors.add(path + ".max_connect_attempts", attempts, ">= 1");
            }
        }
        if (errors.count() > before) {
            return null;
        }
        return new TcpProxyConfig(proto.getStatPrefix(), clusters, idle, attempts);
    }

    /** The TcpProxy fields zonemesh-proxy does not implement: NACKed, each by name. */
    private static void unsupported(TcpProxy proto, ValidationErrors errors, String path) {
        List<String> set = new ArrayList<>();
        if (proto.hasOnDemand()) {
            set.add("on_demand");
        }
        if (proto.hasMetadataMatch()) {
            set.add("metadata_match");
        }
        if (proto.hasDownstreamIdleTimeout()) {
            set.add("downstream_idle_timeout");
        }
        if (proto.hasUpstreamIdleTimeout()) {
            set.add("upstream_idle_timeout");
        }
        if (proto.hasBackoffOptions()) {
            set.add("backoff_options");
        }
        if (proto.getHashPolicyCount() > 0) {
            set.add("hash_policy");
        }
        if (proto.hasTunnelingConfig()) {
            set.add("tunneling_config");
        }
        if (proto.hasMaxDownstreamConnectionDuration()) {
            set.add("max_downstream_connection_duration");
        }
        if (proto.getProxyProtocolTlvsCount() > 0) {
            set.add("proxy_protocol_tlvs");
        }
        for (String field : set) {
            errors.add(path + "." + field, "set", "unset (not supported by zonemesh-proxy's tcp_proxy)");
        }
    }

    /**
     * Envoy refuses a listener where two chains match some connection with the same rules: each
     * chain is expanded into its (port, server name, transport protocol, application protocol)
     * combinations, and a combination claimed twice is an error naming both chains.
     */
    static void checkDistinct(List<TcpChain> chains, ValidationErrors errors) {
        java.util.Map<List<Object>, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < chains.size(); i++) {
            TcpChain chain = chains.get(i);
            List<String> names = chain.serverNames().isEmpty() ? List.of("") : chain.serverNames();
            List<String> alpns = chain.applicationProtocols().isEmpty() ? List.of("") : chain.applicationProtocols();
            boolean reported = false;
            for (String name : names) {
                for (String alpn : alpns) {
                    List<Object> key = List.of(chain.destinationPort(), name, chain.transportProtocol(), alpn);
                    Integer first = seen.putIfAbsent(key, i);
                    if (first != null && first != i && !reported) {
                        reported = true;
                        errors.add(
                                "filter_chains[" + i + "].filter_chain_match",
                                "the same match as filter_chains[" + first + "] (" + key + ")",
                                "distinct matching rules per chain");
                    }
                }
            }
        }
    }
}

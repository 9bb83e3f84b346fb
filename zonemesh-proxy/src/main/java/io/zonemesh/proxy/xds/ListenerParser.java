package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.accesslog.AccessLogConfig;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.FaultConfig;
import io.zonemesh.proxy.config.FilterChainConfig;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.config.TcpChain;
import io.zonemesh.proxy.config.TcpFilterChains;
import io.zonemesh.proxy.config.TlsChain;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates a Listener: it must carry an HTTP connection manager (the first one across its
 * filter chains is used) whose routes come from RDS over ADS or from an inline route
 * configuration, and whose HTTP filters end with the router; other filters must be
 * {@code is_optional}, because the proxy implements none of them. Or all its chains end in a
 * {@code tcp_proxy} ({@link TcpProxyParser}).
 */
final class ListenerParser {
    static final String HCM_NAME = "envoy.filters.network.http_connection_manager";
    static final String TCP_PROXY_NAME = "envoy.filters.network.tcp_proxy";
    static final String TLS_INSPECTOR_NAME = "envoy.filters.listener.tls_inspector";
    static final String TLS_INSPECTOR_TYPE_URL =
            "type.googleapis.com/envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector";
    static final String HCM_TYPE_URL =
            "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";
    static final String ROUTER_NAME = "envoy.filters.http.router";
    static final String FAULT_NAME = "envoy.filters.http.fault";
    static final String FAULT_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault";
    static final String ROUTER_TYPE_URL = "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router";

    private ListenerParser() {}

    // NullAway cannot see this parser's invariant: a part is null only when its parse recorded an
    // error, and the method returns null before building when the error count grew.
    @SuppressWarnings("NullAway")
    static @Nullable ListenerConfig parse(Listener listener, Set<String> knownClusters, ValidationErrors errors) {
        int before = errors.count();
        if (listener.getName().isEmpty()) {
            errors.add("name", "\"\"", "non-empty");
        }
        Direction direction = switch (listener.getTrafficDirection()) {
            case OUTBOUND -> Direction.OUTBOUND;
            case INBOUND -> Direction.INBOUND;
            default -> Direction.UNSPECIFIED;
        };
        List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
        if (listener.hasDefaultFilterChain()) {
            chains.add(listener.getDefaultFilterChain());
        }
        HttpConnectionManager hcm = null;
        String hcmPath = null;
        for (int i = 0; i < chains.size() && hcm == null; i++) {
            String chainPath =
                    i < listener.getFilterChainsCount() ? "filter_chains[" + i + "]" : "default_filter_chain";
            for (int j = 0; j < chains.get(i).getFiltersCount() && hcm == null; j++) {
                Filter filter = chains.get(i).getFilters(j);
                String filterPath = chainPath + ".filters[" + j + "]";
                if (isHcm(filter)) {
                    hcm = unpackHcm(filter, errors, filterPath);
                    hcmPath = filterPath + ".typed_config";
                }
            }
        }
        if (chains.stream().anyMatch(c -> c.getFiltersList().stream().anyMatch(TcpProxyParser::isTcpProxy))) {
            ListenerConfig tcp = tcpListener(listener, direction, chains, errors);
            return errors.count() > before ? null : tcp;
        }
        boolean chained = chains.stream().anyMatch(ListenerParser::matchesByPortOrProtocol);
        if (hcm == null && chained) {
            // Each chain says precisely what it lacks.
            for (int i = 0; i < chains.size(); i++) {
                InboundChainParser.parse(chains.get(i), knownClusters, errors, chainPath(listener, i));
            }
            return null;
        }
        if (hcm == null) {
            if (errors.count() == before) {
                errors.add(
                        "filter_chains",
                        chains.size() + " chains without one",
                        "a filter chain with an " + HCM_NAME + " or " + TCP_PROXY_NAME + " filter");
            }
            return null;
        }
        FaultConfig fault = checkHttpFilters(hcm.getHttpFiltersList(), errors, hcmPath + ".http_filters");
        List<AccessLogConfig> accessLogs =
                AccessLogParser.parse(hcm.getAccessLogList(), errors, hcmPath + ".access_log");
        ListenerConfig result = null;
        switch (hcm.getRouteSpecifierCase()) {
            case RDS -> {
                String name = hcm.getRds().getRouteConfigName();
                ConfigSource source = hcm.getRds().getConfigSource();
                if (name.isEmpty()) {
                    errors.add(hcmPath + ".rds.route_config_name", "\"\"", "non-empty");
                }
                if (source.getConfigSourceSpecifierCase() != ConfigSource.ConfigSourceSpecifierCase.ADS) {
                    errors.add(
                            hcmPath + ".rds.config_source",
                            source.getConfigSourceSpecifierCase(),
                            "ads {} (the proxy has one ADS stream)");
                }
                result = ListenerConfig.rds(listener.getName(), direction, name);
            }
            case ROUTE_CONFIG -> {
                RouteTable table = RouteConfigParser.parse(
                        hcm.getRouteConfig(), knownClusters, errors, hcmPath + ".route_config.");
                result = table == null ? null : ListenerConfig.inline(listener.getName(), direction, table);
            }
            default -> errors.add(hcmPath, hcm.getRouteSpecifierCase(), "rds or route_config");
        }
        InetSocketAddress address = address(listener, errors);
        List<TlsChain> tlsChains = new ArrayList<>();
        List<FilterChainConfig> matched = new ArrayList<>();
        if (chained) {
            for (int i = 0; i < chains.size(); i++) {
                FilterChainConfig chain =
                        InboundChainParser.parse(chains.get(i), knownClusters, errors, chainPath(listener, i));
                if (chain != null) {
                    matched.add(chain);
                }
            }
            if (listener.hasDefaultFilterChain()) {
                errors.add(
                        "default_filter_chain",
                        "set",
                        "unset on a listener matching chains by destination_port/transport_protocol");
            }
        } else if (chains.stream().anyMatch(FilterChain::hasTransportSocket)) {
            for (int i = 0; i < chains.size(); i++) {
                TlsChain chain = tlsChain(
                        chains.get(i),
                        errors,
                        i < listener.getFilterChainsCount() ? "filter_chains[" + i + "]" : "default_filter_chain");
                if (chain != null) {
                    tlsChains.add(chain);
                }
            }
        }
        if (errors.count() > before) {
            return null;
        }
        result =
                result.withAddress(address, tlsChains).withFilterChains(matched).withAccessLogs(accessLogs);
        return fault == null ? result : result.withFaultFilter(fault);
    }

    /**
     * A TLS chain of a gateway listener: its SNI names, its DownstreamTlsContext, and its HCM,
     * which must take routes from RDS.
     */
    private static @Nullable TlsChain tlsChain(FilterChain chain, ValidationErrors errors, String path) {
        if (!chain.hasTransportSocket()) {
            errors.add(path + ".transport_socket", "unset", "TLS on every chain of a TLS listener");
            return null;
        }
        SslContext ssl = DownstreamTlsParser.parse(chain.getTransportSocket(), errors, path + ".transport_socket");
        HttpConnectionManager hcm = null;
        for (int j = 0; j < chain.getFiltersCount() && hcm == null; j++) {
            if (isHcm(chain.getFilters(j))) {
                hcm = unpackHcm(chain.getFilters(j), errors, path + ".filters[" + j + "]");
            }
        }
        if (hcm == null || hcm.getRouteSpecifierCase() != HttpConnectionManager.RouteSpecifierCase.RDS) {
            errors.add(path + ".filters", "no HCM with RDS", "an " + HCM_NAME + " taking routes from RDS");
            return null;
        }
        return ssl == null
                ? null
                : new TlsChain(
                        chain.getFilterChainMatch().getServerNamesList(),
                        ssl,
                        hcm.getRds().getRouteConfigName(),
                        chain.getTransportSocket().toString());
    }

    /**
     * A listener with {@code tcp_proxy} chains (an east-west gateway's AUTO_PASSTHROUGH chains, a
     * TCP service): every chain, the default one included, must be a tcp_proxy chain, and no two
     * chains may match the same connections (Envoy: "multiple filter chains with the same matching
     * rules are defined"). A listener mixing tcp_proxy and HTTP connection manager chains is
     * NACKed: zonemesh-proxy serves a listener either as HTTP or as TCP.
     */
    // A part is null only after its parse recorded an error; the method returns before building then.
    @SuppressWarnings("NullAway")
    private static @Nullable ListenerConfig tcpListener(
            Listener listener, Direction direction, List<FilterChain> chains, ValidationErrors errors) {
        int before = errors.count();
        List<TcpChain> parsed = new ArrayList<>();
        TcpChain fallback = null;
        for (int i = 0; i < chains.size(); i++) {
            String path = chainPath(listener, i);
            FilterChain chain = chains.get(i);
            if (chain.getFiltersList().stream().anyMatch(ListenerParser::isHcm)) {
                errors.add(
                        path + ".filters",
                        chain.getFiltersList().stream().map(Filter::getName).toList(),
                        "a " + TCP_PROXY_NAME + " as on the listener's other chains (zonemesh-proxy does not mix "
                                + "tcp_proxy and " + HCM_NAME + " chains on one listener)");
                continue;
            }
            TcpChain tcp = TcpProxyParser.parse(chain, errors, path);
            if (tcp == null) {
                continue;
            }
            if (i < listener.getFilterChainsCount()) {
                parsed.add(tcp);
            } else {
                fallback = tcp;
            }
        }
        if (errors.count() == before) {
            // Indices of parsed are the filter_chains indices only when every chain parsed.
            TcpProxyParser.checkDistinct(parsed, errors);
        }
        InetSocketAddress address = address(listener, errors);
        if (errors.count() > before) {
            return null;
        }
        boolean inspector = listener.getListenerFiltersList().stream()
                .anyMatch(f -> f.getName().equals(TLS_INSPECTOR_NAME)
                        || f.getTypedConfig().getTypeUrl().equals(TLS_INSPECTOR_TYPE_URL));
        return ListenerConfig.tcp(
                listener.getName(), direction, address, new TcpFilterChains(parsed, fallback, inspector));
    }

    private static String chainPath(Listener listener, int i) {
        return i < listener.getFilterChainsCount() ? "filter_chains[" + i + "]" : "default_filter_chain";
    }

    /** Whether a chain's match names a destination port or transport protocol (the inbound's chains). */
    private static boolean matchesByPortOrProtocol(FilterChain chain) {
        return chain.hasFilterChainMatch()
                && (chain.getFilterChainMatch().hasDestinationPort()
                        || !chain.getFilterChainMatch().getTransportProtocol().isEmpty());
    }

    /** {@code address.socket_address}: an IP literal (never resolved) and a TCP port. */
    private static @Nullable InetSocketAddress address(Listener listener, ValidationErrors errors) {
        if (!listener.hasAddress() || !listener.getAddress().hasSocketAddress()) {
            return null;
        }
        SocketAddress socket = listener.getAddress().getSocketAddress();
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(socket.getAddress());
        if (ip == null) {
            errors.add("address.socket_address.address", ValidationErrors.quote(socket.getAddress()), "an IP address");
            return null;
        }
        if (socket.getPortSpecifierCase() != SocketAddress.PortSpecifierCase.PORT_VALUE
                || socket.getPortValue() > 65535) {
            errors.add("address.socket_address.port_value", socket.getPortValue(), "a port 0..65535");
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), socket.getPortValue());
        } catch (UnknownHostException e) {
            throw new AssertionError("an address of " + ip.length + " bytes", e);
        }
    }

    static boolean isHcm(Filter filter) {
        return filter.getName().equals(HCM_NAME)
                || (filter.hasTypedConfig()
                        && filter.getTypedConfig().getTypeUrl().equals(HCM_TYPE_URL));
    }

    static @Nullable HttpConnectionManager unpackHcm(Filter filter, ValidationErrors errors, String path) {
        Any config = filter.getTypedConfig();
        if (!filter.hasTypedConfig() || !config.getTypeUrl().equals(HCM_TYPE_URL)) {
            errors.add(path + ".typed_config", filter.hasTypedConfig() ? config.getTypeUrl() : "unset", HCM_TYPE_URL);
            return null;
        }
        try {
            return config.unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            errors.add(
                    path + ".typed_config",
                    "undecodable bytes",
                    "a valid HttpConnectionManager (" + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * Envoy requires the router to be the last (terminal) filter. Besides it the proxy implements
     * the fault filter, which the control plane puts on every HCM so that a VirtualService fault
     * only changes RDS; any other filter must be optional. Returns the fault filter's
     * filter-wide config, null without an enabled fault filter.
     */
    static @Nullable FaultConfig checkHttpFilters(List<HttpFilter> filters, ValidationErrors errors, String path) {
        FaultConfig fault = null;
        if (filters.isEmpty() || !isRouter(filters.get(filters.size() - 1))) {
            errors.add(path, filters.stream().map(HttpFilter::getName).toList(), "a list ending with " + ROUTER_NAME);
        }
        for (int i = 0; i < filters.size() - 1; i++) {
            HttpFilter filter = filters.get(i);
            if (isRouter(filter)) {
                errors.add(path + "[" + i + "]", filter.getName(), "the router only as the last filter");
            } else if (isFault(filter)) {
                if (!filter.getDisabled()) {
                    fault = filter.hasTypedConfig()
                            ? FaultParser.parse(filter.getTypedConfig(), errors, path + "[" + i + "].typed_config")
                            : FaultConfig.NONE;
                }
            } else if (!filter.getIsOptional() && !filter.getDisabled()) {
                errors.add(
                        path + "[" + i + "]",
                        filter.getName(),
                        "is_optional: true (zonemesh-proxy implements only the fault filter and the router)");
            }
        }
        return fault;
    }

    private static boolean isFault(HttpFilter filter) {
        return filter.getName().equals(FAULT_NAME)
                || (filter.hasTypedConfig()
                        && filter.getTypedConfig().getTypeUrl().equals(FAULT_TYPE_URL));
    }

    private static boolean isRouter(HttpFilter filter) {
        return filter.getName().equals(ROUTER_NAME)
                || (filter.hasTypedConfig()
                        && filter.getTypedConfig().getTypeUrl().equals(ROUTER_TYPE_URL));
    }
}

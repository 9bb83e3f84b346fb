package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.accesslog.AccessLogConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The part of an Envoy Listener the proxy acts on: its HTTP connection manager's route source,
 * either an RDS name (resolved through the RouteConfiguration of that name) or an inline table.
 * For {@code virtualOutbound} and {@code virtualInbound} the socket address is not used for
 * binding: the proxy binds the sockets it was told to bind at start, and the xDS address only
 * names the role (XDS_SHAPES.md). A gateway binds every other listener at its address.
 *
 * @param faultFilter the filter-wide config of the HCM's {@code envoy.filters.http.fault}, null
 *     when the HCM has no (enabled) fault filter: routes' fault configs then have no effect
 * @param address {@code address.socket_address} (an IP literal), null when unset
 * @param tlsChains the TLS-terminating filter chains, chosen per connection by SNI; empty for a
 *     plaintext listener (then the first HCM serves every connection)
 * @param filterChains set when the chains are chosen by destination port and transport protocol
 *     (Istio's virtualInbound with mTLS): each connection then gets its chain's TLS and routes;
 *     {@code rdsName}/{@code inlineRoutes} are the first chain's HCM's
 * @param tcp the {@code tcp_proxy} chains of a listener that has no HTTP connection manager (then
 *     {@code rdsName} and {@code inlineRoutes} are both null), else null
 * @param accessLogs the HCM's {@code access_log} entries (the first HCM's, as for the fault filter;
 *     Istio puts the same ones on every HCM of a listener); empty: no access log
 */
public record ListenerConfig(
        String name,
        Direction direction,
        @Nullable String rdsName,
        @Nullable RouteTable inlineRoutes,
        @Nullable FaultConfig faultFilter,
        @Nullable InetSocketAddress address,
        List<TlsChain> tlsChains,
        List<FilterChainConfig> filterChains,
        @Nullable TcpFilterChains tcp,
        List<AccessLogConfig> accessLogs) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        if (tcp != null) {
            if (rdsName != null || inlineRoutes != null) {
                throw new IllegalArgumentException(
                        "rdsName: " + rdsName + " (expected: no routes on a tcp_proxy listener)");
            }
        } else if ((rdsName == null) == (inlineRoutes == null)) {
            throw new IllegalArgumentException(
                    "rdsName: " + rdsName + " (expected: exactly one of rdsName and " + "inlineRoutes)");
        }
        tlsChains = List.copyOf(tlsChains);
        filterChains = List.copyOf(filterChains);
        accessLogs = List.copyOf(accessLogs);
    }

    /** Whether connections are TLS. */
    public boolean tls() {
        return !tlsChains.isEmpty();
    }

    public static ListenerConfig rds(String name, Direction direction, String rdsName) {
        return new ListenerConfig(
                name,
                direction,
                Objects.requireNonNull(rdsName, "rdsName"),
                null,
                null,
                null,
                List.of(),
                List.of(),
                null,
                List.of());
    }

    /** A listener whose chains all end in {@code tcp_proxy}. */
    public static ListenerConfig tcp(
            String name, Direction direction, @Nullable InetSocketAddress address, TcpFilterChains chains) {
        return new ListenerConfig(
                name,
                direction,
                null,
                null,
                null,
                address,
                List.of(),
                List.of(),
                Objects.requireNonNull(chains, "chains"),
                List.of());
    }

    public static ListenerConfig inline(String name, Direction direction, RouteTable routes) {
        return new ListenerConfig(
                name,
                direction,
                null,
                Objects.requireNonNull(routes, "routes"),
                null,
                null,
                List.of(),
                List.of(),
                null,
                List.of());
    }

    /** This listener with a fault filter in its HCM. */
    public ListenerConfig withFaultFilter(FaultConfig config) {
        return new ListenerConfig(
                name,
                direction,
                rdsName,
                inlineRoutes,
                Objects.requireNonNull(config, "config"),
                address,
                tlsChains,
                filterChains,
                tcp,
                accessLogs);
    }

    /** This listener with its socket address and TLS chains. */
    public ListenerConfig withAddress(@Nullable InetSocketAddress socketAddress, List<TlsChain> chains) {
        return new ListenerConfig(
                name,
                direction,
                rdsName,
                inlineRoutes,
                faultFilter,
                socketAddress,
                chains,
                filterChains,
                tcp,
                accessLogs);
    }

    /** This listener with filter chains chosen per connection by {@code filter_chain_match}. */
    public ListenerConfig withFilterChains(List<FilterChainConfig> chains) {
        return new ListenerConfig(
                name, direction, rdsName, inlineRoutes, faultFilter, address, tlsChains, chains, tcp, accessLogs);
    }

    /** This listener with its HCM's access logs. */
    public ListenerConfig withAccessLogs(List<AccessLogConfig> logs) {
        return new ListenerConfig(
                name, direction, rdsName, inlineRoutes, faultFilter, address, tlsChains, filterChains, tcp, logs);
    }
}

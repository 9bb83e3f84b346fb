package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.net.InetSocketAddress;
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
 * @param tls whether a filter chain terminates TLS ({@code transport_socket}), which the proxy
 *     does not serve yet: such a listener is not bound
 */
public record ListenerConfig(String name, Direction direction, @Nullable String rdsName,
        @Nullable RouteTable inlineRoutes, @Nullable FaultConfig faultFilter, @Nullable InetSocketAddress address,
        boolean tls) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        if ((rdsName == null) == (inlineRoutes == null)) {
            throw new IllegalArgumentException("rdsName: " + rdsName + " (expected: exactly one of rdsName and "
                    + "inlineRoutes)");
        }
    }

    public static ListenerConfig rds(String name, Direction direction, String rdsName) {
        return new ListenerConfig(name, direction, Objects.requireNonNull(rdsName, "rdsName"), null, null, null,
                false);
    }

    public static ListenerConfig inline(String name, Direction direction, RouteTable routes) {
        return new ListenerConfig(name, direction, null, Objects.requireNonNull(routes, "routes"), null, null, false);
    }

    /** This listener with a fault filter in its HCM. */
    public ListenerConfig withFaultFilter(FaultConfig config) {
        return new ListenerConfig(name, direction, rdsName, inlineRoutes, Objects.requireNonNull(config, "config"),
                address, tls);
    }

    /** This listener with its socket address and TLS marker. */
    public ListenerConfig withAddress(@Nullable InetSocketAddress socketAddress, boolean terminatesTls) {
        return new ListenerConfig(name, direction, rdsName, inlineRoutes, faultFilter, socketAddress, terminatesTls);
    }
}

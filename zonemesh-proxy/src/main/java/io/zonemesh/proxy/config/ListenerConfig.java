package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.util.Objects;

/**
 * The part of an Envoy Listener the proxy acts on: its HTTP connection manager's route source,
 * either an RDS name (resolved through the RouteConfiguration of that name) or an inline table.
 * The listener's socket address is not used for binding: the proxy binds the sockets it was
 * told to bind at start, and the xDS address only names the role (XDS_SHAPES.md).
 *
 * @param faultFilter the filter-wide config of the HCM's {@code envoy.filters.http.fault}, null
 *     when the HCM has no (enabled) fault filter: routes' fault configs then have no effect
 */
public record ListenerConfig(String name, Direction direction, @Nullable String rdsName,
        @Nullable RouteTable inlineRoutes, @Nullable FaultConfig faultFilter) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        if ((rdsName == null) == (inlineRoutes == null)) {
            throw new IllegalArgumentException("rdsName: " + rdsName + " (expected: exactly one of rdsName and "
                    + "inlineRoutes)");
        }
    }

    public static ListenerConfig rds(String name, Direction direction, String rdsName) {
        return new ListenerConfig(name, direction, Objects.requireNonNull(rdsName, "rdsName"), null, null);
    }

    public static ListenerConfig inline(String name, Direction direction, RouteTable routes) {
        return new ListenerConfig(name, direction, null, Objects.requireNonNull(routes, "routes"), null);
    }

    /** This listener with a fault filter in its HCM. */
    public ListenerConfig withFaultFilter(FaultConfig config) {
        return new ListenerConfig(name, direction, rdsName, inlineRoutes, Objects.requireNonNull(config, "config"));
    }
}

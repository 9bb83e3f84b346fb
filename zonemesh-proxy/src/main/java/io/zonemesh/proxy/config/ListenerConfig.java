package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.util.Objects;

/**
 * The part of an Envoy Listener the proxy acts on: its HTTP connection manager's route source,
 * either an RDS name (resolved through the RouteConfiguration of that name) or an inline table.
 * The listener's socket address is not used for binding: the proxy binds the sockets it was
 * told to bind at start, and the xDS address only names the role (XDS_SHAPES.md).
 */
public record ListenerConfig(String name, Direction direction, @Nullable String rdsName,
        @Nullable RouteTable inlineRoutes) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(direction, "direction");
        if ((rdsName == null) == (inlineRoutes == null)) {
            throw new IllegalArgumentException("rdsName: " + rdsName + " (expected: exactly one of rdsName and "
                    + "inlineRoutes)");
        }
    }

    public static ListenerConfig rds(String name, Direction direction, String rdsName) {
        return new ListenerConfig(name, direction, Objects.requireNonNull(rdsName, "rdsName"), null);
    }

    public static ListenerConfig inline(String name, Direction direction, RouteTable routes) {
        return new ListenerConfig(name, direction, null, Objects.requireNonNull(routes, "routes"));
    }
}

package io.zonemesh.proxy.snapshot;

import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.xds.XdsResource;
import io.zonemesh.proxy.xds.XdsResources;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a request needs, as of one accepted xDS update: listeners → route tables →
 * clusters (with their load balancers) → endpoints. Immutable and swapped as a whole, so a
 * request sees one consistent configuration from route match to host pick.
 *
 * @param ready whether the first complete configuration has been applied: listeners and
 *     clusters received, every route table the listeners name and every EDS assignment the
 *     clusters name present. Once true it stays true (Envoy's init manager gates only startup).
 */
public record ProxySnapshot(XdsResources resources, Map<String, ActiveCluster> clusters, boolean ready) {

    /** Before any configuration arrived: every request gets 404 NR. */
    public static final ProxySnapshot EMPTY = new ProxySnapshot(XdsResources.EMPTY, Map.of(), false);

    public ProxySnapshot {
        Objects.requireNonNull(resources, "resources");
        clusters = Map.copyOf(clusters);
    }

    /** The routes of the listener with this name, or null when it or its RDS table is missing. */
    public @Nullable RouteTable routeTable(String listenerName) {
        XdsResource<ListenerConfig> listener = resources.listeners().get(listenerName);
        if (listener == null) {
            return null;
        }
        ListenerConfig config = listener.parsed();
        if (config.inlineRoutes() != null) {
            return config.inlineRoutes();
        }
        String rds = config.rdsName();
        if (rds == null) {
            // A tcp_proxy listener has no routes.
            return null;
        }
        XdsResource<RouteTable> table = resources.routes().get(rds);
        return table == null ? null : table.parsed();
    }

    /** The RDS route configuration of this name, or null. */
    public @Nullable RouteTable routeTableNamed(String routeConfigName) {
        XdsResource<RouteTable> table = resources.routes().get(routeConfigName);
        return table == null ? null : table.parsed();
    }

    /** The listener with this name, or null. */
    public @Nullable ListenerConfig listener(String name) {
        XdsResource<ListenerConfig> listener = resources.listeners().get(name);
        return listener == null ? null : listener.parsed();
    }

    public @Nullable ActiveCluster cluster(String name) {
        return clusters.get(name);
    }
}

package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.List;

/**
 * Every resource one proxy receives, with a content version per type. Versions are computed by
 * whoever built the lists (once per proxy group for the shared outbound part), never per push.
 */
record ProxyResources(List<Listener> listeners, List<RouteConfiguration> routes, List<Cluster> clusters,
        List<ClusterLoadAssignment> endpoints, Versions versions) {
    ProxyResources {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        clusters = List.copyOf(clusters);
        endpoints = List.copyOf(endpoints);
    }

    /** Content versions of each resource type. */
    record Versions(String listeners, String routes, String clusters, String endpoints) {
        /** Each type's two versions joined: the group's outbound part and the proxy's own part. */
        Versions join(Versions other) {
            return new Versions(listeners + "." + other.listeners, routes + "." + other.routes,
                    clusters + "." + other.clusters, endpoints + "." + other.endpoints);
        }
    }
}

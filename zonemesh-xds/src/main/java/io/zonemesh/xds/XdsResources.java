package io.zonemesh.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The xDS resources of one proxy (or of one proxy group's outbound half), each list sorted by
 * resource name so equal inputs give equal, diffable output.
 *
 * @param endpoints the EDS resources; DNS clusters carry theirs inline instead
 * @param warnings configuration the generator left out because it would have made a resource Envoy or
 *     the proxy rejects (a route to a subset no DestinationRule defines, a regex that does not compile,
 *     a gateway server on a port another server holds, ...), each naming the resource and field, in the
 *     order found, without repeats; Istio drops the same things silently
 */
public record XdsResources(
        List<Listener> listeners,
        List<RouteConfiguration> routes,
        List<Cluster> clusters,
        List<ClusterLoadAssignment> endpoints,
        List<String> warnings) {

    public static final XdsResources EMPTY = new XdsResources(List.of(), List.of(), List.of(), List.of());

    public XdsResources {
        listeners = sorted("listeners", listeners, Listener::getName);
        routes = sorted("routes", routes, RouteConfiguration::getName);
        clusters = sorted("clusters", clusters, Cluster::getName);
        endpoints = sorted("endpoints", endpoints, ClusterLoadAssignment::getClusterName);
        warnings = List.copyOf(new LinkedHashSet<>(warnings));
    }

    /** Resources without warnings. */
    public XdsResources(
            List<Listener> listeners,
            List<RouteConfiguration> routes,
            List<Cluster> clusters,
            List<ClusterLoadAssignment> endpoints) {
        this(listeners, routes, clusters, endpoints, List.of());
    }

    /** Both sets together, e.g. a group's outbound resources and a proxy's inbound ones. */
    public XdsResources plus(XdsResources other) {
        return new XdsResources(
                concat(listeners, other.listeners),
                concat(routes, other.routes),
                concat(clusters, other.clusters),
                concat(endpoints, other.endpoints),
                concat(warnings, other.warnings));
    }

    private static <T> List<T> sorted(String field, List<T> items, Function<T, String> name) {
        List<T> out = new ArrayList<>(items);
        out.sort(Comparator.comparing(name));
        Set<String> seen = new HashSet<>();
        for (T item : out) {
            if (!seen.add(name.apply(item))) {
                // Envoy rejects a response that names a resource twice.
                throw new IllegalArgumentException(field + ": " + name.apply(item) + " (expected: unique names)");
            }
        }
        return List.copyOf(out);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}

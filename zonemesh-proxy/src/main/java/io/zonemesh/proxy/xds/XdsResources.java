package io.zonemesh.proxy.xds;

import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.RouteTable;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every resource the xDS client currently holds as accepted, by type and name, with the last
 * ACKed version of each type. A type is absent from {@link #versions()} until its first
 * response was accepted. Immutable.
 */
public record XdsResources(
        Map<String, XdsResource<ListenerConfig>> listeners,
        Map<String, XdsResource<RouteTable>> routes,
        Map<String, XdsResource<ClusterConfig>> clusters,
        Map<String, XdsResource<EndpointAssignment>> endpoints,
        Map<ResourceType, String> versions) {

    public static final XdsResources EMPTY = new XdsResources(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    public XdsResources {
        listeners = Map.copyOf(listeners);
        routes = Map.copyOf(routes);
        clusters = Map.copyOf(clusters);
        endpoints = Map.copyOf(endpoints);
        versions = versions.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(versions));
    }

    /** Whether at least one response of the type has been accepted. */
    public boolean received(ResourceType type) {
        return versions.containsKey(Objects.requireNonNull(type, "type"));
    }

    /** The last ACKed version of the type, or "" before the first. */
    public String version(ResourceType type) {
        return versions.getOrDefault(type, "");
    }
}

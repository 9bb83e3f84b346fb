package io.zonemesh.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.zonemesh.common.Nullable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decodes and validates every resource of one DiscoveryResponse. The result carries either the
 * parsed resources or, when anything was wrong, all the problems: the client then NACKs the
 * whole response, as Envoy does.
 */
final class ResponseDecoder {
    private static final String RESOURCE_WRAPPER = "type.googleapis.com/envoy.service.discovery.v3.Resource";

    private ResponseDecoder() {}

    /** The decoded resources by name, and the problems found (empty when the response is valid). */
    record Decoded(Map<String, XdsResource<Object>> resources, ValidationErrors errors) {}

    /**
     * @param knownClusters accepted cluster names, for route tables that ask to validate them
     */
    static Decoded decode(ResourceType type, DiscoveryResponse response, Set<String> knownClusters, long nowMillis) {
        ValidationErrors errors = new ValidationErrors();
        Map<String, XdsResource<Object>> resources = new LinkedHashMap<>();
        for (int i = 0; i < response.getResourcesCount(); i++) {
            Message proto =
                    unpack(type, response.getResources(i), errors.forResource(type.kind(), "resources[" + i + "]"));
            if (proto == null) {
                continue;
            }
            String name = type.nameOf(proto);
            ValidationErrors resourceErrors = errors.forResource(type.kind(), name);
            if (name.isEmpty()) {
                resourceErrors.add("name", "\"\"", "non-empty");
                continue;
            }
            if (resources.containsKey(name)) {
                resourceErrors.add("name", ValidationErrors.quote(name), "unique within the response");
                continue;
            }
            Object parsed = parse(type, proto, knownClusters, resourceErrors);
            if (parsed != null) {
                resources.put(name, new XdsResource<>(name, proto, parsed, response.getVersionInfo(), nowMillis));
            }
        }
        return new Decoded(resources, errors);
    }

    private static @Nullable Message unpack(ResourceType type, Any any, ValidationErrors errors) {
        try {
            Any resource = any;
            if (resource.getTypeUrl().equals(RESOURCE_WRAPPER)) {
                resource = resource.unpack(Resource.class).getResource();
            }
            if (!resource.getTypeUrl().equals(type.typeUrl())) {
                errors.add("type_url", resource.getTypeUrl(), type.typeUrl());
                return null;
            }
            return type.unpack(resource);
        } catch (InvalidProtocolBufferException e) {
            errors.add("value", "undecodable bytes", "a valid " + type.kind() + " (" + e.getMessage() + ")");
            return null;
        }
    }

    private static @Nullable Object parse(
            ResourceType type, Message proto, Set<String> knownClusters, ValidationErrors errors) {
        return switch (type) {
            case LISTENER -> ListenerParser.parse((Listener) proto, knownClusters, errors);
            case ROUTE -> RouteConfigParser.parse((RouteConfiguration) proto, knownClusters, errors, "");
            case CLUSTER -> ClusterParser.parse((Cluster) proto, errors);
            case ENDPOINT -> EndpointParser.parse((ClusterLoadAssignment) proto, errors, "", false);
        };
    }
}

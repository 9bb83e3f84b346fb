package io.zonemesh.proxy.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.testing.EnvoyResources;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Builds {@link XdsResources} from protos through the real decoder, for tests of its consumers. */
public final class XdsResourcesFixture {
    private final Map<ResourceType, Map<String, XdsResource<Object>>> byType = new EnumMap<>(ResourceType.class);
    private final Map<ResourceType, String> versions = new EnumMap<>(ResourceType.class);

    public static XdsResourcesFixture builder() {
        return new XdsResourcesFixture();
    }

    /** Sets the resources of a type, as an accepted response of {@code version} would. */
    public XdsResourcesFixture set(ResourceType type, String version, Message... messages) {
        DiscoveryResponse response = DiscoveryResponse.newBuilder()
                .setTypeUrl(type.typeUrl())
                .setVersionInfo(version)
                .addAllResources(EnvoyResources.anys(messages))
                .build();
        ResponseDecoder.Decoded decoded = ResponseDecoder.decode(type, response, clusterNames(), 1_000L);
        if (!decoded.errors().isEmpty()) {
            throw new IllegalArgumentException(decoded.errors().joined());
        }
        byType.put(type, new HashMap<>(decoded.resources()));
        versions.put(type, version);
        return this;
    }

    private Set<String> clusterNames() {
        return byType.getOrDefault(ResourceType.CLUSTER, Map.of()).keySet();
    }

    public XdsResources build() {
        return new XdsResources(
                typed(ResourceType.LISTENER, ListenerConfig.class),
                typed(ResourceType.ROUTE, RouteTable.class),
                typed(ResourceType.CLUSTER, ClusterConfig.class),
                typed(ResourceType.ENDPOINT, EndpointAssignment.class),
                versions);
    }

    private <T> Map<String, XdsResource<T>> typed(ResourceType type, Class<T> parsed) {
        Map<String, XdsResource<T>> out = new HashMap<>();
        byType.getOrDefault(type, Map.of())
                .forEach((name, r) -> out.put(
                        name,
                        new XdsResource<>(
                                r.name(), r.proto(), parsed.cast(r.parsed()), r.version(), r.updatedMillis())));
        return out;
    }
}

package io.zonemesh.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.proxy.xds.XdsResource;
import io.zonemesh.proxy.xds.XdsResources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code /config_dump}: Envoy's {@code envoy.admin.v3.ConfigDump} with the dynamic clusters,
 * endpoint assignments, listeners and route configurations in force, each with the version it
 * arrived in and when, printed with JsonFormat. {@link EnvoyTypeRegistry} knows every Envoy API
 * message, so the nested {@code Any}s of whatever the proxy accepted print.
 */
final class ConfigDumpPage {
    /** Envoy's admin prints proto field names ({@code dynamic_active_clusters}), not JSON names. */
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().preservingProtoFieldNames();

    private ConfigDumpPage() {}

    /**
     * The dump; endpoint assignments only with {@code includeEds}, as Envoy's {@code
     * ?include_eds} (EDS can be large, so Envoy leaves it out by default).
     */
    static ConfigDump configDump(XdsResources resources, boolean includeEds) {
        ClustersConfigDump.Builder clusters =
                ClustersConfigDump.newBuilder().setVersionInfo(resources.version(ResourceType.CLUSTER));
        for (XdsResource<?> r : sorted(resources.clusters())) {
            clusters.addDynamicActiveClustersBuilder()
                    .setVersionInfo(r.version())
                    .setCluster(Any.pack(r.proto()))
                    .setLastUpdated(time(r));
        }
        EndpointsConfigDump.Builder endpoints = EndpointsConfigDump.newBuilder();
        for (XdsResource<?> r : sorted(resources.endpoints())) {
            endpoints
                    .addDynamicEndpointConfigsBuilder()
                    .setVersionInfo(r.version())
                    .setEndpointConfig(Any.pack(r.proto()))
                    .setLastUpdated(time(r));
        }
        ListenersConfigDump.Builder listeners =
                ListenersConfigDump.newBuilder().setVersionInfo(resources.version(ResourceType.LISTENER));
        for (XdsResource<?> r : sorted(resources.listeners())) {
            listeners
                    .addDynamicListenersBuilder()
                    .setName(r.name())
                    .getActiveStateBuilder()
                    .setVersionInfo(r.version())
                    .setListener(Any.pack(r.proto()))
                    .setLastUpdated(time(r));
        }
        RoutesConfigDump.Builder routes = RoutesConfigDump.newBuilder();
        for (XdsResource<?> r : sorted(resources.routes())) {
            routes.addDynamicRouteConfigsBuilder()
                    .setVersionInfo(r.version())
                    .setRouteConfig(Any.pack(r.proto()))
                    .setLastUpdated(time(r));
        }
        // Envoy's order: bootstrap, clusters, endpoints, listeners, routes.
        ConfigDump.Builder dump = ConfigDump.newBuilder().addConfigs(Any.pack(clusters.build()));
        if (includeEds) {
            dump.addConfigs(Any.pack(endpoints.build()));
        }
        return dump.addConfigs(Any.pack(listeners.build()))
                .addConfigs(Any.pack(routes.build()))
                .build();
    }

    /** A message without {@code Any} fields (the {@code /clusters} and {@code /xds} pages). */
    static String json(Message message) throws InvalidProtocolBufferException {
        return PRINTER.print(message);
    }

    /** A dump, its {@code Any}s resolved through {@code types} ({@link EnvoyTypeRegistry}). */
    static String json(ConfigDump dump, JsonFormat.TypeRegistry types) throws InvalidProtocolBufferException {
        return PRINTER.usingTypeRegistry(types).print(dump);
    }

    private static List<XdsResource<?>> sorted(Map<String, ? extends XdsResource<?>> resources) {
        List<XdsResource<?>> list = new ArrayList<>(resources.values());
        list.sort(Comparator.comparing(XdsResource::name));
        return list;
    }

    private static Timestamp time(XdsResource<?> resource) {
        return Timestamps.fromMillis(resource.updatedMillis());
    }
}

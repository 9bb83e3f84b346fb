package io.zonemesh.proxy.admin;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import io.envoyproxy.envoy.admin.v3.Clusters;
import io.envoyproxy.envoy.admin.v3.ClustersConfigDump;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.EndpointsConfigDump;
import io.envoyproxy.envoy.admin.v3.ListenersConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
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
 * arrived in and when, printed with JsonFormat. The type registry knows every message reachable
 * from the resources the proxy accepts, so their nested {@code Any}s print.
 */
final class ConfigDumpPage {
    /**
     * Every message that can sit in an {@code Any} of an accepted resource: the xDS parsers'
     * typed configs (HCM and its fault and router filters, per-route {@code HTTPFault} also
     * wrapped in {@code FilterConfig}, listener filters, TLS transport sockets, cluster protocol
     * options, retry host and priority plugins). JsonFormat fails the whole dump on one unknown
     * type URL, so a type missing here turns {@code /config_dump} into a 500.
     */
    static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
            .add(List.<Descriptors.Descriptor>of(
                    ConfigDump.getDescriptor(),
                    ClustersConfigDump.getDescriptor(),
                    EndpointsConfigDump.getDescriptor(),
                    ListenersConfigDump.getDescriptor(),
                    RoutesConfigDump.getDescriptor(),
                    Clusters.getDescriptor(),
                    HttpConnectionManager.getDescriptor(),
                    Router.getDescriptor(),
                    HTTPFault.getDescriptor(),
                    FilterConfig.getDescriptor(),
                    TlsInspector.getDescriptor(),
                    UpstreamTlsContext.getDescriptor(),
                    DownstreamTlsContext.getDescriptor(),
                    // The plaintext socket of auto mTLS's tlsMode-disabled match (Istio's cluster shape).
                    RawBuffer.getDescriptor(),
                    HttpProtocolOptions.getDescriptor(),
                    PreviousHostsPredicate.getDescriptor(),
                    PreviousPrioritiesConfig.getDescriptor(),
                    Struct.getDescriptor()))
            .build();
    /** Envoy's admin prints proto field names ({@code dynamic_active_clusters}), not JSON names. */
    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().usingTypeRegistry(TYPES).preservingProtoFieldNames();

    private ConfigDumpPage() {}

    static ConfigDump configDump(XdsResources resources) {
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
        return ConfigDump.newBuilder()
                .addConfigs(Any.pack(clusters.build()))
                .addConfigs(Any.pack(endpoints.build()))
                .addConfigs(Any.pack(listeners.build()))
                .addConfigs(Any.pack(routes.build()))
                .build();
    }

    static String json(Message message) throws InvalidProtocolBufferException {
        return PRINTER.print(message);
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

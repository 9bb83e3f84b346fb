package io.zonemesh.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.extensions.retry.priority.previous_priorities.v3.PreviousPrioritiesConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.List;

/**
 * Stable JSON of generated resources (map keys sorted, {@code Any} payloads expanded), for golden
 * files, debug endpoints and the CLI.
 */
public final class XdsJson {
    /** Every message type the generators pack into an {@code Any}. */
    public static final JsonFormat.TypeRegistry TYPE_REGISTRY = JsonFormat.TypeRegistry.newBuilder()
            .add(HttpConnectionManager.getDescriptor())
            .add(Router.getDescriptor())
            .add(HttpProtocolOptions.getDescriptor())
            .add(HTTPFault.getDescriptor())
            .add(PreviousHostsPredicate.getDescriptor())
            .add(PreviousPrioritiesConfig.getDescriptor())
            .add(UpstreamTlsContext.getDescriptor())
            .add(DownstreamTlsContext.getDescriptor())
            .add(TlsInspector.getDescriptor())
            .add(RawBuffer.getDescriptor())
            .add(TcpProxy.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog.getDescriptor())
            .add(io.envoyproxy.envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery.getDescriptor())
            .build();

    private static final JsonFormat.Printer PRINTER =
            JsonFormat.printer().usingTypeRegistry(TYPE_REGISTRY).sortingMapKeys();

    private XdsJson() {}

    /** One message as JSON. */
    public static String print(MessageOrBuilder message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "resource: " + message.getClass().getSimpleName()
                            + " (expected: only Any types known to XdsJson.TYPE_REGISTRY)",
                    e);
        }
    }

    /**
     * All resources as one JSON object with {@code listeners}, {@code routes}, {@code clusters},
     * {@code endpoints} and, when there are any, {@code warnings}.
     */
    public static String print(XdsResources resources) {
        StringBuilder out = new StringBuilder("{\n");
        boolean warnings = !resources.warnings().isEmpty();
        section(out, "listeners", resources.listeners(), false);
        section(out, "routes", resources.routes(), false);
        section(out, "clusters", resources.clusters(), false);
        section(out, "endpoints", resources.endpoints(), !warnings);
        if (warnings) {
            out.append("  \"warnings\": [");
            for (int i = 0; i < resources.warnings().size(); i++) {
                out.append(i == 0 ? "\n    " : ",\n    ")
                        .append(quote(resources.warnings().get(i)));
            }
            out.append("\n  ]\n");
        }
        return out.append("}\n").toString();
    }

    /** A JSON string literal, escaped by protobuf's printer. */
    static String quote(String s) {
        return print(Value.newBuilder().setStringValue(s));
    }

    private static void section(StringBuilder out, String name, List<? extends MessageOrBuilder> items, boolean last) {
        out.append("  \"").append(name).append("\": [");
        for (int i = 0; i < items.size(); i++) {
            out.append(i == 0 ? "\n" : ",\n").append(indent(print(items.get(i)), "    "));
        }
        out.append(items.isEmpty() ? "]" : "\n  ]").append(last ? "\n" : ",\n");
    }

    private static String indent(String json, String prefix) {
        return prefix + json.replace("\n", "\n" + prefix);
    }
}

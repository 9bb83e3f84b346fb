package io.zonemesh.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.JsonFormatOptions;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.formatter.req_without_query.v3.ReqWithoutQuery;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.MeshAccessLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HCM {@code access_log} istiod generates ({@code pilot/pkg/model/telemetry_logging.go}):
 * {@code envoy.access_loggers.file} with the meshConfig format ({@code FileAccessLogFromMeshConfig})
 * or an {@code envoyFileAccessLog} provider's ({@code fileAccessLogFromTelemetry}); which providers
 * apply to a proxy is {@link TelemetryResolution}'s. {@link #attach} puts them on every HCM of the
 * listeners, as istiod does for sidecar inbound/outbound and gateway listeners.
 */
final class AccessLogGenerator {
    static final String FILE_LOGGER = "envoy.access_loggers.file";
    static final String DEV_STDOUT = "/dev/stdout";
    /** Istio's EnvoyTextLogFormat (Istio 1.9 onwards, with UPSTREAM_CLUSTER_RAW since 1.2x). */
    static final String ISTIO_TEXT_FORMAT = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% "
            + "%PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% "
            + "%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "
            + "\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% "
            + "%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" "
            + "\"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" "
            + "%UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% "
            + "%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n";
    /** Istio's EnvoyJSONLogFormatIstio keys and operators. */
    static final Map<String, String> ISTIO_JSON_FORMAT = Map.ofEntries(
            Map.entry("start_time", "%START_TIME%"),
            Map.entry("route_name", "%ROUTE_NAME%"),
            Map.entry("method", "%REQ(:METHOD)%"),
            Map.entry("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%"),
            Map.entry("protocol", "%PROTOCOL%"),
            Map.entry("response_code", "%RESPONSE_CODE%"),
            Map.entry("response_flags", "%RESPONSE_FLAGS%"),
            Map.entry("response_code_details", "%RESPONSE_CODE_DETAILS%"),
            Map.entry("connection_termination_details", "%CONNECTION_TERMINATION_DETAILS%"),
            Map.entry("bytes_received", "%BYTES_RECEIVED%"),
            Map.entry("bytes_sent", "%BYTES_SENT%"),
            Map.entry("duration", "%DURATION%"),
            Map.entry("upstream_service_time", "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%"),
            Map.entry("x_forwarded_for", "%REQ(X-FORWARDED-FOR)%"),
            Map.entry("user_agent", "%REQ(USER-AGENT)%"),
            Map.entry("request_id", "%REQ(X-REQUEST-ID)%"),
            Map.entry("authority", "%REQ(:AUTHORITY)%"),
            Map.entry("upstream_host", "%UPSTREAM_HOST%"),
            Map.entry("upstream_cluster", "%UPSTREAM_CLUSTER_RAW%"),
            Map.entry("upstream_local_address", "%UPSTREAM_LOCAL_ADDRESS%"),
            Map.entry("downstream_local_address", "%DOWNSTREAM_LOCAL_ADDRESS%"),
            Map.entry("downstream_remote_address", "%DOWNSTREAM_REMOTE_ADDRESS%"),
            Map.entry("requested_server_name", "%REQUESTED_SERVER_NAME%"),
            Map.entry("upstream_transport_failure_reason", "%UPSTREAM_TRANSPORT_FAILURE_REASON%"));

    private static final String REQ_WITHOUT_QUERY = "%REQ_WITHOUT_QUERY";

    private AccessLogGenerator() {}

    /** Istio's {@code FileAccessLogFromMeshConfig(path, mesh)}. */
    static AccessLog fromMeshConfig(String path, MeshAccessLog mesh) {
        if (mesh.encoding() == MeshAccessLog.Encoding.JSON) {
            Struct json = mesh.format().isEmpty() ? istioJson() : parseJson(mesh.format());
            return file(path, json(json));
        }
        return file(path, text(mesh.format()));
    }

    /** Istio's {@code fileAccessLogFromTelemetry}; the built-in {@code envoy} provider falls back to meshConfig. */
    static AccessLog fromProvider(MeshAccessLog.FileProvider provider) {
        String path = provider.path().isEmpty() ? DEV_STDOUT : provider.path();
        if (provider.labels() != null) {
            Struct labels = toStruct(provider.labels());
            return file(path, json(labels.getFieldsCount() == 0 ? istioJson() : labels));
        }
        return file(path, text(provider.text() == null ? "" : provider.text()));
    }

    private static SubstitutionFormatString text(String format) {
        // "Istio will insert a newline ('\n') on all formats (if missing)."
        String line = format.isEmpty() ? ISTIO_TEXT_FORMAT : format.endsWith("\n") ? format : format + "\n";
        SubstitutionFormatString.Builder out = SubstitutionFormatString.newBuilder()
                .setTextFormatSource(DataSource.newBuilder().setInlineString(line));
        if (line.contains(REQ_WITHOUT_QUERY)) {
            out.addFormatters(reqWithoutQuery());
        }
        return out.build();
    }

    private static SubstitutionFormatString json(Struct format) {
        SubstitutionFormatString.Builder out = SubstitutionFormatString.newBuilder()
                .setJsonFormat(format)
                .setJsonFormatOptions(JsonFormatOptions.newBuilder().setSortProperties(false));
        if (format.toString().contains(REQ_WITHOUT_QUERY)) {
            out.addFormatters(reqWithoutQuery());
        }
        return out.build();
    }

    private static TypedExtensionConfig reqWithoutQuery() {
        return TypedExtensionConfig.newBuilder()
                .setName("envoy.formatter.req_without_query")
                .setTypedConfig(Any.pack(ReqWithoutQuery.getDefaultInstance()))
                .build();
    }

    private static AccessLog file(String path, SubstitutionFormatString format) {
        return AccessLog.newBuilder()
                .setName(FILE_LOGGER)
                .setTypedConfig(Any.pack(FileAccessLog.newBuilder()
                        .setPath(path)
                        .setLogFormat(format)
                        .build()))
                .build();
    }

    private static Struct istioJson() {
        Struct.Builder out = Struct.newBuilder();
        ISTIO_JSON_FORMAT.forEach(
                (k, v) -> out.putFields(k, Value.newBuilder().setStringValue(v).build()));
        return out.build();
    }

    /** The meshConfig JSON format; validation rejected anything but an object, so this parses. */
    private static Struct parseJson(String json) {
        Struct.Builder out = Struct.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(json, out);
        } catch (InvalidProtocolBufferException e) {
            // istiod logs the error and uses its default JSON format.
            return istioJson();
        }
        return out.build();
    }

    private static Struct toStruct(Map<String, Object> labels) {
        Struct.Builder out = Struct.newBuilder();
        labels.forEach((k, v) -> out.putFields(k, toValue(v)));
        return out.build();
    }

    /** A labels value as parsed from YAML: a string, number, boolean, list or mapping. */
    @SuppressWarnings("unchecked")
    private static Value toValue(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            return Value.newBuilder()
                    .setStructValue(toStruct((Map<String, Object>) map))
                    .build();
        }
        if (value instanceof List<?> list) {
            ListValue.Builder items = ListValue.newBuilder();
            list.forEach(item -> items.addValues(toValue(item)));
            return Value.newBuilder().setListValue(items).build();
        }
        if (value instanceof Number number) {
            return Value.newBuilder().setNumberValue(number.doubleValue()).build();
        }
        if (value instanceof Boolean bool) {
            return Value.newBuilder().setBoolValue(bool).build();
        }
        return value == null
                ? Value.newBuilder()
                        .setNullValue(com.google.protobuf.NullValue.NULL_VALUE)
                        .build()
                : Value.newBuilder().setStringValue(value.toString()).build();
    }

    /** Each listener with {@code logs} on every HCM of its filter chains (none: unchanged). */
    static List<Listener> attach(List<Listener> listeners, List<AccessLog> logs) {
        if (logs.isEmpty()) {
            return listeners;
        }
        List<Listener> out = new ArrayList<>(listeners.size());
        for (Listener listener : listeners) {
            Listener.Builder builder = listener.toBuilder();
            for (FilterChain.Builder chain : builder.getFilterChainsBuilderList()) {
                chain.getFiltersBuilderList().forEach(f -> withLogs(f, logs));
            }
            if (builder.hasDefaultFilterChain()) {
                builder.getDefaultFilterChainBuilder().getFiltersBuilderList().forEach(f -> withLogs(f, logs));
            }
            out.add(builder.build());
        }
        return out;
    }

    private static void withLogs(Filter.Builder filter, List<AccessLog> logs) {
        @Nullable HttpConnectionManager hcm = unpack(filter);
        if (hcm != null) {
            filter.setTypedConfig(Any.pack(hcm.toBuilder().addAllAccessLog(logs).build()));
        }
    }

    private static @Nullable HttpConnectionManager unpack(Filter.Builder filter) {
        if (!filter.hasTypedConfig() || !filter.getTypedConfig().is(HttpConnectionManager.class)) {
            return null;
        }
        try {
            return filter.getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("an HCM this generator packed", e);
        }
    }
}

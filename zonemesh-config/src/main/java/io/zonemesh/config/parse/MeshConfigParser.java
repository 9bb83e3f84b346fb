package io.zonemesh.config.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.k8s.MeshConfigMap;
import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code istio} ConfigMap's {@code data.mesh} (a MeshConfig in YAML, as istiod reads it): the
 * access-log fields {@code accessLogFile}, {@code accessLogEncoding} (TEXT or JSON),
 * {@code accessLogFormat} (with JSON, a JSON object), {@code extensionProviders[].envoyFileAccessLog}
 * and {@code defaultProviders.accessLogging}. Other MeshConfig fields are accepted and not used.
 */
final class MeshConfigParser {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private MeshConfigParser() {}

    static boolean handles(String apiVersion, String kind, @Nullable String name) {
        return "v1".equals(apiVersion) && "ConfigMap".equals(kind) && MeshConfigMap.NAME.equals(name);
    }

    static ParsedDocument parse(
            JsonNode root, String name, String namespace, String source, int number, List<Diagnostic> out) {
        ResourceMeta meta = new ResourceMeta("ConfigMap", namespace, name, Map.of(), Map.of(), source, number);
        RawFields f = new RawFields(source, number, meta.ref(), out);
        JsonNode data = f.mapping(root, "data", "data");
        String mesh = f.string(data, "mesh", "data.mesh");
        MeshAccessLog accessLog = MeshAccessLog.OFF;
        if (mesh != null) {
            try {
                JsonNode config = YAML.readTree(mesh);
                if (config != null && !config.isNull()) {
                    accessLog = accessLog(config, f);
                }
            } catch (JsonProcessingException e) {
                f.error(DiagnosticCode.MALFORMED_YAML, "data.mesh", e.getOriginalMessage());
            }
        }
        boolean errors = out.stream().anyMatch(Diagnostic::isError);
        return new ParsedDocument(meta, errors ? null : new MeshConfigMap(meta, accessLog), out);
    }

    static MeshAccessLog accessLog(JsonNode config, RawFields f) {
        if (!config.isObject()) {
            f.error(
                    DiagnosticCode.WRONG_TYPE,
                    "data.mesh",
                    RawFields.describe(config) + " (expected: a MeshConfig mapping)");
            return MeshAccessLog.OFF;
        }
        String file = f.string(config, "accessLogFile", "data.mesh.accessLogFile");
        String encodingName = f.string(config, "accessLogEncoding", "data.mesh.accessLogEncoding");
        MeshAccessLog.Encoding encoding = MeshAccessLog.Encoding.TEXT;
        if (encodingName != null) {
            try {
                encoding = MeshAccessLog.Encoding.valueOf(encodingName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                f.error(
                        DiagnosticCode.INVALID_VALUE,
                        "data.mesh.accessLogEncoding",
                        '"' + encodingName + "\" (expected: TEXT or JSON)");
            }
        }
        String format = f.string(config, "accessLogFormat", "data.mesh.accessLogFormat");
        if (encoding == MeshAccessLog.Encoding.JSON && format != null && !format.isEmpty()) {
            try {
                if (!JSON.readTree(format).isObject()) {
                    f.error(
                            DiagnosticCode.INVALID_VALUE,
                            "data.mesh.accessLogFormat",
                            "not a JSON object (expected: with accessLogEncoding JSON, a JSON object of format strings)");
                }
            } catch (JsonProcessingException e) {
                f.error(
                        DiagnosticCode.INVALID_VALUE,
                        "data.mesh.accessLogFormat",
                        e.getOriginalMessage() + " (expected: with accessLogEncoding JSON, a JSON object)");
            }
        }
        Map<String, MeshAccessLog.FileProvider> providers = providers(config, f);
        List<String> defaults = new ArrayList<>();
        JsonNode defaultProviders = f.mapping(config, "defaultProviders", "data.mesh.defaultProviders");
        JsonNode logging = f.list(defaultProviders, "accessLogging", "data.mesh.defaultProviders.accessLogging");
        if (logging != null) {
            for (int i = 0; i < logging.size(); i++) {
                if (logging.get(i).isTextual()) {
                    defaults.add(logging.get(i).asText());
                } else {
                    f.error(
                            DiagnosticCode.WRONG_TYPE,
                            "data.mesh.defaultProviders.accessLogging[" + i + "]",
                            RawFields.describe(logging.get(i)) + " (expected: a provider name)");
                }
            }
        }
        return new MeshAccessLog(file == null ? "" : file, encoding, format == null ? "" : format, providers, defaults);
    }

    private static Map<String, MeshAccessLog.FileProvider> providers(JsonNode config, RawFields f) {
        Map<String, MeshAccessLog.FileProvider> providers = new LinkedHashMap<>();
        JsonNode list = f.list(config, "extensionProviders", "data.mesh.extensionProviders");
        for (int i = 0; list != null && i < list.size(); i++) {
            String path = "data.mesh.extensionProviders[" + i + "]";
            String name = f.string(list.get(i), "name", path + ".name");
            if (name == null || name.isEmpty()) {
                f.error(DiagnosticCode.MISSING_FIELD, path + ".name", "unset (expected: a provider name)");
                continue;
            }
            JsonNode file = f.mapping(list.get(i), "envoyFileAccessLog", path + ".envoyFileAccessLog");
            if (file == null) {
                continue;
            }
            JsonNode logFormat = f.mapping(file, "logFormat", path + ".envoyFileAccessLog.logFormat");
            String text = f.string(logFormat, "text", path + ".envoyFileAccessLog.logFormat.text");
            JsonNode labels = f.mapping(logFormat, "labels", path + ".envoyFileAccessLog.logFormat.labels");
            if (text != null && labels != null) {
                f.error(
                        DiagnosticCode.INVALID_VALUE,
                        path + ".envoyFileAccessLog.logFormat",
                        "text and labels (expected: only one of them)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> labelMap = labels == null ? null : JSON.convertValue(labels, Map.class);
            String filePath = f.string(file, "path", path + ".envoyFileAccessLog.path");
            providers.put(name, new MeshAccessLog.FileProvider(name, filePath == null ? "" : filePath, text, labelMap));
        }
        return providers;
    }
}

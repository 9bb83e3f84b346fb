package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.TelemetryConfig;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code telemetry.istio.io/v1} and {@code v1alpha1} {@code Telemetry}: {@code spec.selector} and
 * {@code spec.accessLogging[].providers[].name} / {@code disabled}. {@code metrics} and
 * {@code tracing} are accepted and not used; {@code targetRef(s)} and {@code accessLogging.filter}
 * and {@code match} are reported as unsupported (zonemesh cannot honour them).
 */
final class TelemetryParser {
    static final Set<String> API_VERSIONS = Set.of("telemetry.istio.io/v1", "telemetry.istio.io/v1alpha1");
    static final String KIND = "Telemetry";

    private TelemetryParser() {}

    static boolean handles(String apiVersion, String kind) {
        return API_VERSIONS.contains(apiVersion) && KIND.equals(kind);
    }

    static ParsedDocument parse(
            JsonNode root,
            String name,
            String namespace,
            Map<String, String> labels,
            String source,
            int number,
            List<Diagnostic> out) {
        ResourceMeta meta = new ResourceMeta(KIND, namespace, name, labels, Map.of(), source, number);
        RawFields f = new RawFields(source, number, meta.ref(), out);
        JsonNode spec = f.mapping(root, "spec", "spec");
        for (String unsupported : List.of("targetRef", "targetRefs")) {
            if (spec != null && spec.has(unsupported)) {
                f.error(
                        DiagnosticCode.UNSUPPORTED_FIELD,
                        "spec." + unsupported,
                        "set (expected: selector; zonemesh has no Gateway API policy attachment)");
            }
        }
        WorkloadSelector selector = null;
        JsonNode sel = f.mapping(spec, "selector", "spec.selector");
        JsonNode matchLabels = f.mapping(sel, "matchLabels", "spec.selector.matchLabels");
        if (matchLabels != null) {
            Map<String, String> match = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = matchLabels.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                match.put(e.getKey(), e.getValue().asText());
            }
            selector = match.isEmpty() ? null : new WorkloadSelector(match);
        }
        List<TelemetryConfig.AccessLogging> rules = new ArrayList<>();
        JsonNode logging = f.list(spec, "accessLogging", "spec.accessLogging");
        for (int i = 0; logging != null && i < logging.size(); i++) {
            TelemetryConfig.AccessLogging rule = rule(logging.get(i), "spec.accessLogging[" + i + "]", f);
            if (rule != null) {
                rules.add(rule);
            }
        }
        boolean errors = out.stream().anyMatch(Diagnostic::isError);
        return new ParsedDocument(meta, errors ? null : new TelemetryConfig(meta, selector, rules), out);
    }

    private static TelemetryConfig.@Nullable AccessLogging rule(JsonNode node, String path, RawFields f) {
        if (!node.isObject()) {
            f.error(DiagnosticCode.WRONG_TYPE, path, RawFields.describe(node) + " (expected: a mapping)");
            return null;
        }
        for (String unsupported : List.of("filter", "match")) {
            if (node.has(unsupported)) {
                f.error(
                        DiagnosticCode.UNSUPPORTED_FIELD,
                        path + "." + unsupported,
                        "set (expected: unset; zonemesh-proxy logs every request of the listeners it logs)");
            }
        }
        List<String> providers = new ArrayList<>();
        JsonNode list = f.list(node, "providers", path + ".providers");
        for (int i = 0; list != null && i < list.size(); i++) {
            String name = f.string(list.get(i), "name", path + ".providers[" + i + "].name");
            if (name == null || name.isEmpty()) {
                f.error(
                        DiagnosticCode.MISSING_FIELD,
                        path + ".providers[" + i + "].name",
                        "unset (expected: the name of a meshConfig.extensionProviders entry or envoy)");
            } else {
                providers.add(name);
            }
        }
        return new TelemetryConfig.AccessLogging(providers, f.bool(node, "disabled", path + ".disabled"));
    }
}

package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.k8s.IstioOperatorConfig;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code install.istio.io/v1alpha1 IstioOperator}: reads {@code values.global.multiCluster.clusterName},
 * {@code values.global.network} and {@code meshConfig.trustDomain} (the fields Istio's multi-cluster
 * install guides set); everything else is accepted without a schema (IstioOperator's schema is
 * large and versioned) and reported in one INFO note (ZM0108) naming each ignored path.
 * Errors: a {@code spec} (or one of the walked mappings) that is not a mapping, a used field that is
 * not a string, a network or cluster name that is not a valid label value (both become
 * {@code topology.istio.io/*} label values).
 */
final class IstioOperatorParser {
    static final String API_VERSION = "install.istio.io/v1alpha1";
    static final String KIND = "IstioOperator";

    private IstioOperatorParser() {}

    static boolean handles(String apiVersion, String kind) {
        return API_VERSION.equals(apiVersion) && KIND.equals(kind);
    }

    static ParsedDocument parse(
            JsonNode root, String name, String namespace, String source, int number, List<Diagnostic> out) {
        ResourceMeta meta = new ResourceMeta(KIND, namespace, name, Map.of(), Map.of(), source, number);
        String ref = meta.ref();
        List<String> ignored = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("apiVersion", "kind", "metadata", "spec", "status").contains(f)) {
                out.add(DiagnosticCode.UNKNOWN_FIELD.diagnostic(
                        source, number, ref, f, '"' + f + "\" (expected: apiVersion, kind, metadata, spec)"));
            }
        }
        JsonNode spec = mapping(root, "spec", "spec", source, number, ref, out);
        JsonNode values = mapping(spec, "values", "spec.values", source, number, ref, out);
        JsonNode global = mapping(values, "global", "spec.values.global", source, number, ref, out);
        JsonNode multiCluster =
                mapping(global, "multiCluster", "spec.values.global.multiCluster", source, number, ref, out);
        JsonNode meshConfig = mapping(spec, "meshConfig", "spec.meshConfig", source, number, ref, out);
        collectIgnored(spec, "spec", Set.of("values", "meshConfig"), ignored);
        collectIgnored(values, "spec.values", Set.of("global"), ignored);
        collectIgnored(global, "spec.values.global", Set.of("multiCluster", "network"), ignored);
        collectIgnored(multiCluster, "spec.values.global.multiCluster", Set.of("clusterName"), ignored);
        collectIgnored(meshConfig, "spec.meshConfig", Set.of("trustDomain"), ignored);
        String clusterName = labelValue(multiCluster, "clusterName", "spec.values.global.multiCluster.clusterName",
                source, number, ref, out);
        String network = labelValue(global, "network", "spec.values.global.network", source, number, ref, out);
        String trustDomain = string(meshConfig, "trustDomain", "spec.meshConfig.trustDomain", source, number, ref, out);
        if (trustDomain != null && (trustDomain.contains("/") || trustDomain.contains(" "))) {
            out.add(DiagnosticCode.INVALID_VALUE.diagnostic(source, number, ref, "spec.meshConfig.trustDomain",
                    '"' + trustDomain + "\" (expected: a trust domain such as cluster.local, without '/' or spaces)"));
        }
        if (!ignored.isEmpty()) {
            out.add(DiagnosticCode.UNSUPPORTED_FIELD.diagnostic(Diagnostic.Severity.INFO, source, number, ref, "spec",
                    "accepted but not used (zonemesh reads only values.global.multiCluster.clusterName, "
                            + "values.global.network and meshConfig.trustDomain): " + String.join(", ", ignored)));
        }
        boolean errors = out.stream().anyMatch(Diagnostic::isError);
        return new ParsedDocument(
                meta,
                errors ? null : new IstioOperatorConfig(meta, clusterName, network, trustDomain, ignored),
                out);
    }

    private static @Nullable JsonNode mapping(
            @Nullable JsonNode parent, String field, String path, String source, int number, String ref,
            List<Diagnostic> out) {
        JsonNode n = parent == null ? null : parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            out.add(DiagnosticCode.WRONG_TYPE.diagnostic(
                    source, number, ref, path, describe(n) + " (expected: a mapping)"));
            return null;
        }
        return n;
    }

    private static void collectIgnored(@Nullable JsonNode node, String path, Set<String> used, List<String> ignored) {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!used.contains(f)) {
                ignored.add(path + "." + f);
            }
        }
    }

    private static @Nullable String string(
            @Nullable JsonNode parent, String field, String path, String source, int number, String ref,
            List<Diagnostic> out) {
        JsonNode n = parent == null ? null : parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            out.add(DiagnosticCode.WRONG_TYPE.diagnostic(
                    source, number, ref, path, describe(n) + " (expected: a string)"));
            return null;
        }
        return n.asText().isEmpty() ? null : n.asText();
    }

    private static @Nullable String labelValue(
            @Nullable JsonNode parent, String field, String path, String source, int number, String ref,
            List<Diagnostic> out) {
        String value = string(parent, field, path, source, number, ref, out);
        if (value != null) {
            String problem = Names.labelValue(value);
            if (problem != null) {
                out.add(DiagnosticCode.INVALID_VALUE.diagnostic(source, number, ref, path, problem));
                return null;
            }
        }
        return value;
    }

    private static String describe(JsonNode n) {
        return n.isArray() ? "a list" : n.isTextual() ? '"' + n.asText() + '"' : n.asText();
    }
}

package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.config.decode.Decoded;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.config.decode.FieldProblem;
import io.zonemesh.config.decode.StrictDecoder;
import io.zonemesh.config.k8s.IgnoredResource;
import io.zonemesh.config.yaml.YamlDocument;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one YAML document into a validated record: checks apiVersion, kind and name, reads the
 * document into its fabric8 model strictly, then converts and validates it. Every problem of the
 * document is reported, and nothing is thrown. Thread-safe.
 */
public final class DocumentParser {
    /** Where a document's apiVersion and kind are looked up. */
    @FunctionalInterface
    interface Kinds {
        ResourceKinds.@Nullable Entry find(String apiVersion, String kind);
    }

    private final StrictDecoder decoder = new StrictDecoder();
    private final Kinds kinds;

    public DocumentParser() {
        this(ResourceKinds::find);
    }

    /** For tests: a different set of kinds, e.g. one whose parser fails. */
    DocumentParser(Kinds kinds) {
        this.kinds = kinds;
    }

    public ParsedDocument parse(YamlDocument document, String source) {
        Header header = null;
        try {
            List<Diagnostic> out = new ArrayList<>();
            if (document.failure() != null) {
                YamlDocument.Failure f = document.failure();
                out.add(DiagnosticCode.MALFORMED_YAML.diagnostic(
                        source,
                        document.number(),
                        "",
                        "",
                        "line " + f.line() + ", column " + f.column() + ": " + f.message()));
                return new ParsedDocument(null, null, out);
            }
            JsonNode root = document.root();
            if (root == null || !root.isObject()) {
                out.add(DiagnosticCode.WRONG_TYPE.diagnostic(
                        source,
                        document.number(),
                        "",
                        "",
                        shape(root) + " (expected: a mapping with apiVersion, kind and metadata)"));
                return new ParsedDocument(null, null, out);
            }
            header = Header.read(root);
            String ref = header.ref();
            for (FieldProblem p : header.problems()) {
                out.add(toDiagnostic(p, source, document.number(), ref));
            }
            if (header.apiVersion() == null || header.kind() == null) {
                return new ParsedDocument(null, null, out);
            }
            if (IstioOperatorParser.handles(header.apiVersion(), header.kind())) {
                if (header.name() == null) {
                    return new ParsedDocument(null, null, out);
                }
                return IstioOperatorParser.parse(
                        root, header.name(), header.namespaceOrDefault(), source, document.number(), out);
            }
            if (TelemetryParser.handles(header.apiVersion(), header.kind())
                    || MeshConfigParser.handles(header.apiVersion(), header.kind(), header.name())) {
                if (header.name() == null) {
                    return new ParsedDocument(null, null, out);
                }
                return TelemetryParser.handles(header.apiVersion(), header.kind())
                        ? TelemetryParser.parse(
                                root,
                                header.name(),
                                header.namespaceOrDefault(),
                                java.util.Map.of(),
                                source,
                                document.number(),
                                out)
                        : MeshConfigParser.parse(
                                root, header.name(), header.namespaceOrDefault(), source, document.number(), out);
            }
            ResourceKinds.Entry entry = kinds.find(header.apiVersion(), header.kind());
            if (entry == null && ResourceKinds.acceptsUnread(header.apiVersion(), header.kind())) {
                return unread(header, source, document.number(), out);
            }
            if (entry == null) {
                out.add(unknownKind(header, header.kind(), source, document.number(), ref));
                return new ParsedDocument(null, null, out);
            }
            return convert(entry, root, header, source, document.number(), out);
        } catch (RuntimeException e) {
            // A bug must cost one document, never the whole load.
            return new ParsedDocument(
                    null,
                    null,
                    List.of(DiagnosticCode.INTERNAL_ERROR.diagnostic(
                            source,
                            document.number(),
                            header == null ? "" : header.ref(),
                            "",
                            e.getClass().getName() + ": " + e.getMessage())));
        }
    }

    private ParsedDocument convert(
            ResourceKinds.Entry entry, JsonNode root, Header header, String source, int number, List<Diagnostic> out) {
        Decoded<? extends HasMetadata> decoded = decoder.decode(ModelGaps.withoutUnrepresentable(root), entry.type());
        HasMetadata value = decoded.value();
        ResourceMeta meta = Metadata.toMeta(
                entry.kind(), entry.namespaced(), value == null ? null : value.getMetadata(), source, number);
        if (value == null) {
            meta = new ResourceMeta(
                    entry.kind(),
                    entry.namespaced() ? header.namespaceOrDefault() : "",
                    header.name() == null ? "" : header.name(),
                    java.util.Map.of(),
                    java.util.Map.of(),
                    source,
                    number);
        }
        String ref = header.name() == null ? "" : meta.ref();
        for (FieldProblem p : decoded.problems()) {
            out.add(toDiagnostic(p, source, number, ref));
        }
        if (value == null) {
            return new ParsedDocument(header.name() == null ? null : meta, null, out);
        }
        ParseContext ctx = new ParseContext(meta, root);
        Metadata.validate(value.getMetadata(), entry.namespaced(), entry.dns1035Name(), ctx);
        Object resource = entry.parser().apply(value, ctx);
        for (FieldProblem p : ctx.problems()) {
            out.add(toDiagnostic(p, source, number, ref));
        }
        boolean errors = out.stream().anyMatch(Diagnostic::isError);
        return new ParsedDocument(header.name() == null ? null : meta, errors ? null : resource, out);
    }

    /**
     * A kind outside Istio's API groups that zonemesh does not read (ConfigMap, Ingress,
     * CRDs of other projects): accepted as Kubernetes would, kept as an {@link IgnoredResource}.
     */
    private static ParsedDocument unread(Header header, String source, int number, List<Diagnostic> out) {
        if (header.name() == null || header.kind() == null || header.apiVersion() == null) {
            return new ParsedDocument(null, null, out);
        }
        String ns = header.namespace() == null ? "" : header.namespace();
        ResourceMeta meta = new ResourceMeta(
                header.kind(), ns, header.name(), java.util.Map.of(), java.util.Map.of(), source, number);
        return new ParsedDocument(
                meta,
                new IgnoredResource(
                        meta,
                        header.apiVersion(),
                        "zonemesh does not use " + header.apiVersion() + " " + header.kind()),
                out);
    }

    private static Diagnostic unknownKind(Header header, String kind, String source, int number, String ref) {
        List<String> versions = ResourceKinds.apiVersionsOf(kind);
        if (versions.isEmpty()) {
            return DiagnosticCode.UNKNOWN_KIND.diagnostic(
                    source, number, ref, "kind", '"' + kind + "\" (expected: one of " + ResourceKinds.kinds() + ")");
        }
        return DiagnosticCode.UNKNOWN_KIND.diagnostic(
                source,
                number,
                ref,
                "apiVersion",
                '"' + header.apiVersion() + "\" does not serve kind " + kind + " (expected: one of " + versions + ")");
    }

    private static Diagnostic toDiagnostic(FieldProblem p, String source, int number, String ref) {
        return p.code().diagnostic(source, number, ref, p.path().toString(), p.message());
    }

    private static String shape(@Nullable JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "null";
        }
        return n.isArray() ? "a list" : n.isTextual() ? '"' + n.asText() + '"' : n.asText();
    }

    /** apiVersion, kind and metadata.name/namespace as written, with problems found reading them. */
    private record Header(
            @Nullable String apiVersion,
            @Nullable String kind,
            @Nullable String name,
            @Nullable String namespace,
            List<FieldProblem> problems) {

        static Header read(JsonNode root) {
            List<FieldProblem> problems = new ArrayList<>();
            String apiVersion = text(
                    root,
                    "apiVersion",
                    "an apiVersion such as networking.istio.io/v1 or apps/v1",
                    FieldPath.ROOT,
                    problems);
            String kind = text(root, "kind", "a kind such as DestinationRule or Service", FieldPath.ROOT, problems);
            JsonNode metadata = root.get("metadata");
            String name = null;
            String namespace = null;
            FieldPath mp = FieldPath.of("metadata");
            if (metadata == null || metadata.isNull()) {
                problems.add(new FieldProblem(
                        DiagnosticCode.MISSING_FIELD, mp.field("name"), "missing (expected: the resource name)"));
            } else if (!metadata.isObject()) {
                problems.add(new FieldProblem(
                        DiagnosticCode.WRONG_TYPE,
                        mp,
                        shape(metadata) + " (expected: a mapping with name and namespace)"));
            } else {
                name = text(metadata, "name", "the resource name", mp, problems);
                JsonNode ns = metadata.get("namespace");
                namespace = ns != null && ns.isTextual() ? ns.asText() : null;
            }
            return new Header(apiVersion, kind, name, namespace, problems);
        }

        private static @Nullable String text(
                JsonNode parent, String field, String expected, FieldPath at, List<FieldProblem> problems) {
            JsonNode n = parent.get(field);
            if (n == null || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
                problems.add(new FieldProblem(
                        DiagnosticCode.MISSING_FIELD, at.field(field), "missing (expected: " + expected + ")"));
                return null;
            }
            if (!n.isTextual()) {
                problems.add(new FieldProblem(
                        DiagnosticCode.WRONG_TYPE, at.field(field), shape(n) + " (expected: a string)"));
                return null;
            }
            return n.asText();
        }

        String namespaceOrDefault() {
            return namespace == null || namespace.isEmpty() ? Metadata.DEFAULT_NAMESPACE : namespace;
        }

        /** {@code Kind/namespace/name} for messages once kind and name are known, else "". */
        String ref() {
            if (kind == null || name == null) {
                return "";
            }
            ResourceKinds.Entry any = apiVersion == null ? null : ResourceKinds.find(apiVersion, kind);
            boolean namespaced = any == null || any.namespaced();
            return kind + "/" + (namespaced ? namespaceOrDefault() + "/" : "") + name;
        }
    }
}

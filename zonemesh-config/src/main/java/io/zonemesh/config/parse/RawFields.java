package io.zonemesh.config.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.DiagnosticCode;
import java.util.List;

/**
 * Typed reads of a schema-less document part (a ConfigMap's {@code mesh} YAML, a Telemetry spec),
 * each wrong type recorded as a diagnostic naming the field path.
 */
final class RawFields {
    private final String source;
    private final int number;
    private final String ref;
    private final List<Diagnostic> out;

    RawFields(String source, int number, String ref, List<Diagnostic> out) {
        this.source = source;
        this.number = number;
        this.ref = ref;
        this.out = out;
    }

    void error(DiagnosticCode code, String path, String message) {
        out.add(code.diagnostic(source, number, ref, path, message));
    }

    @Nullable
    JsonNode mapping(@Nullable JsonNode parent, String field, String path) {
        JsonNode n = present(parent, field);
        if (n != null && !n.isObject()) {
            error(DiagnosticCode.WRONG_TYPE, path, describe(n) + " (expected: a mapping)");
            return null;
        }
        return n;
    }

    @Nullable
    JsonNode list(@Nullable JsonNode parent, String field, String path) {
        JsonNode n = present(parent, field);
        if (n != null && !n.isArray()) {
            error(DiagnosticCode.WRONG_TYPE, path, describe(n) + " (expected: a list)");
            return null;
        }
        return n;
    }

    @Nullable
    String string(@Nullable JsonNode parent, String field, String path) {
        JsonNode n = present(parent, field);
        if (n != null && !n.isTextual()) {
            error(DiagnosticCode.WRONG_TYPE, path, describe(n) + " (expected: a string)");
            return null;
        }
        return n == null ? null : n.asText();
    }

    @Nullable
    Boolean bool(@Nullable JsonNode parent, String field, String path) {
        JsonNode n = present(parent, field);
        if (n != null && !n.isBoolean()) {
            error(DiagnosticCode.WRONG_TYPE, path, describe(n) + " (expected: true or false)");
            return null;
        }
        return n == null ? null : n.asBoolean();
    }

    private static @Nullable JsonNode present(@Nullable JsonNode parent, String field) {
        JsonNode n = parent == null ? null : parent.get(field);
        return n == null || n.isNull() ? null : n;
    }

    static String describe(JsonNode n) {
        return n.isArray()
                ? "a list"
                : n.isObject() ? "a mapping" : n.isTextual() ? '"' + n.asText() + '"' : n.asText();
    }
}

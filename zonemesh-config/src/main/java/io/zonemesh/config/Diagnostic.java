package io.zonemesh.config;

import java.util.Objects;

/**
 * One problem or finding, precise enough to fix without guessing.
 *
 * @param code stable code, e.g. {@code ZM0101}
 * @param source file path ("" when not from a file)
 * @param document 1-based document number in that file (0 when not applicable)
 * @param resource {@code Kind/namespace/name} ("" when the document has no identity yet)
 * @param fieldPath e.g. {@code spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to}
 * @param message what is wrong and what was expected: {@code "value (expected: ...)"}
 */
public record Diagnostic(
        Severity severity,
        String code,
        String source,
        int document,
        String resource,
        String fieldPath,
        String message) {

    /** How bad it is; errors make loading fail and {@code analyze} exit non-zero. */
    public enum Severity {
        ERROR,
        WARNING,
        INFO
    }

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        source = Objects.requireNonNullElse(source, "");
        resource = Objects.requireNonNullElse(resource, "");
        fieldPath = Objects.requireNonNullElse(fieldPath, "");
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:doc 2: DestinationRule/sample/x: spec.host: message [CODE] (severity)}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(severity.name()).append(' ').append(code).append(' ');
        if (!source.isEmpty()) {
            sb.append(source);
            if (document > 0) {
                sb.append(" (document ").append(document).append(')');
            }
            sb.append(": ");
        }
        if (!resource.isEmpty()) {
            sb.append(resource).append(": ");
        }
        if (!fieldPath.isEmpty()) {
            sb.append(fieldPath).append(": ");
        }
        return sb.append(message).toString();
    }
}

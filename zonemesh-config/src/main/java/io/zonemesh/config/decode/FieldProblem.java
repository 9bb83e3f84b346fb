package io.zonemesh.config.decode;

import io.zonemesh.config.DiagnosticCode;
import java.util.Objects;

/**
 * A problem inside one document, before it is tied to a file and resource.
 *
 * @param message what is wrong and what was expected: {@code "value (expected: ...)"}
 */
public record FieldProblem(DiagnosticCode code, FieldPath path, String message) {
    public FieldProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }
}

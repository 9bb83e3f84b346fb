package io.zonemesh.config.analysis;

import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.Diagnostic.Severity;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.ArrayList;
import java.util.List;

/** Collects findings, each tied to the file, document and resource it is about. */
final class Findings {
    private final List<Diagnostic> out = new ArrayList<>();

    void add(DiagnosticCode code, ResourceMeta about, String fieldPath, String message) {
        add(code, code.severity(), about, fieldPath, message);
    }

    void add(DiagnosticCode code, Severity severity, ResourceMeta about, String fieldPath, String message) {
        out.add(code.diagnostic(severity, about.source(), about.document(), about.ref(), fieldPath, message));
    }

    List<Diagnostic> list() {
        return List.copyOf(out);
    }
}

package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Assertions on diagnostics: exactly what the user would read. */
final class Diagnostics {
    private Diagnostics() {}

    /** The single diagnostic with {@code code}, asserting there is exactly one. */
    static Diagnostic only(List<Diagnostic> all, String code) {
        List<Diagnostic> matching =
                all.stream().filter(d -> d.code().equals(code)).toList();
        assertThat(matching).as("diagnostics with code %s among %s", code, all).hasSize(1);
        return matching.get(0);
    }

    /** The diagnostic at {@code fieldPath}, asserting there is exactly one. */
    static Diagnostic at(List<Diagnostic> all, String fieldPath) {
        List<Diagnostic> matching =
                all.stream().filter(d -> d.fieldPath().equals(fieldPath)).toList();
        assertThat(matching).as("diagnostics at %s among %s", fieldPath, all).hasSize(1);
        return matching.get(0);
    }

    static void assertDiagnostic(
            Diagnostic d, String code, String source, int document, String resource, String fieldPath) {
        assertThat(d.code()).as("code of %s", d.format()).isEqualTo(code);
        assertThat(d.source()).as("source of %s", d.format()).isEqualTo(source);
        assertThat(d.document()).as("document of %s", d.format()).isEqualTo(document);
        assertThat(d.resource()).as("resource of %s", d.format()).isEqualTo(resource);
        assertThat(d.fieldPath()).as("field path of %s", d.format()).isEqualTo(fieldPath);
    }
}

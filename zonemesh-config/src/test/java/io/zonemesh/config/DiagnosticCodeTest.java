package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.config.Diagnostic.Severity;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DiagnosticCodeTest {
    @Test
    void codesAreUniqueStableAndFindable() {
        assertThat(Arrays.stream(DiagnosticCode.values()).map(DiagnosticCode::code))
                .doesNotHaveDuplicates()
                .allMatch(c -> c.matches("ZM0[0-3]\\d\\d"));
        for (DiagnosticCode c : DiagnosticCode.values()) {
            assertThat(DiagnosticCode.of(c.code())).isSameAs(c);
            assertThat(c.description()).isNotBlank();
        }
        assertThat(DiagnosticCode.of("ZM9999")).isNull();
    }

    @Test
    void diagnosticCarriesTheCodeAndItsUsualSeverityUnlessToldOtherwise() {
        Diagnostic d = DiagnosticCode.UNKNOWN_FIELD.diagnostic("a.yaml", 2, "DestinationRule/ns/r", "spec.x", "m");
        Diagnostic e =
                DiagnosticCode.FAILOVER_WITHOUT_OUTLIER_DETECTION.diagnostic(Severity.ERROR, "a.yaml", 1, "r", "", "m");

        assertThat(d.code()).isEqualTo("ZM0102");
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.format()).isEqualTo("ERROR ZM0102 a.yaml (document 2): DestinationRule/ns/r: spec.x: m");
        assertThat(e.severity()).isEqualTo(Severity.ERROR);
        assertThat(DiagnosticCode.FAILOVER_WITHOUT_OUTLIER_DETECTION.severity()).isEqualTo(Severity.WARNING);
    }
}

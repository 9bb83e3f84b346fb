package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.TelemetryConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The istio ConfigMap's access-log MeshConfig fields and the Telemetry kind. */
class TelemetryKindsTest {
    private final ConfigLoader loader = new ConfigLoader();

    private static List<Diagnostic> errors(LoadResult r) {
        return r.diagnostics().stream().filter(Diagnostic::isError).toList();
    }

    @Test
    void theIstioConfigMapsMeshKeyTurnsAccessLogsOn() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |-
                    accessLogFile: /dev/stdout
                    accessLogEncoding: JSON
                    accessLogFormat: '{"code": "%RESPONSE_CODE%"}'
                    defaultProviders: {accessLogging: [file]}
                    extensionProviders:
                    - name: file
                      envoyFileAccessLog:
                        path: /var/log/access.log
                        logFormat: {labels: {code: "%RESPONSE_CODE%"}}
                    - name: prometheus
                      prometheus: {}
                """, "mesh.yaml");

        assertThat(errors(r)).isEmpty();
        MeshAccessLog log = r.bundle().istio().meshAccessLog();
        assertThat(log.file()).isEqualTo("/dev/stdout");
        assertThat(log.encoding()).isEqualTo(MeshAccessLog.Encoding.JSON);
        assertThat(log.format()).isEqualTo("{\"code\": \"%RESPONSE_CODE%\"}");
        assertThat(log.defaultProviders()).containsExactly("file");
        assertThat(log.providers()).containsOnlyKeys("file");
        assertThat(log.providers().get("file").labels()).isEqualTo(Map.of("code", "%RESPONSE_CODE%"));
    }

    @Test
    void otherConfigMapsStayIgnoredAndWithoutOneLogsAreOff() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio-ca-root-cert, namespace: dev}
                data: {root-cert.pem: x}
                """, "cm.yaml");

        assertThat(errors(r)).isEmpty();
        assertThat(r.bundle().istio().meshAccessLog()).isEqualTo(MeshAccessLog.OFF);
    }

    @Test
    void invalidMeshConfigValuesAreErrorsNamingTheField() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |-
                    accessLogFile: /dev/stdout
                    accessLogEncoding: XML
                    extensionProviders:
                    - envoyFileAccessLog: {path: /tmp/x}
                """, "mesh.yaml");

        assertThat(errors(r))
                .extracting(Diagnostic::fieldPath)
                .containsExactlyInAnyOrder("data.mesh.accessLogEncoding", "data.mesh.extensionProviders[0].name");
        assertThat(errors(r).get(0).message()).contains("\"XML\" (expected: TEXT or JSON)");
    }

    @Test
    void aTelemetryResourceInBothApiVersions() {
        LoadResult r = loader.loadString("""
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: mesh-default, namespace: istio-system}
                spec:
                  accessLogging:
                  - providers: [{name: envoy}]
                ---
                apiVersion: telemetry.istio.io/v1alpha1
                kind: Telemetry
                metadata: {name: quiet, namespace: dev}
                spec:
                  selector: {matchLabels: {app: reviews}}
                  accessLogging: [{disabled: true}]
                  metrics: [{providers: [{name: prometheus}]}]
                """, "telemetry.yaml");

        assertThat(errors(r)).isEmpty();
        assertThat(r.bundle().istio().telemetries())
                .extracting(t -> t.meta().name(), TelemetryConfig::accessLogging)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "mesh-default", List.of(new TelemetryConfig.AccessLogging(List.of("envoy"), null))),
                        org.assertj.core.groups.Tuple.tuple(
                                "quiet", List.of(new TelemetryConfig.AccessLogging(List.of(), true))));
    }

    @Test
    void invalidTelemetryIsAnErrorNamingTheField() {
        LoadResult r = loader.loadString("""
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: bad, namespace: dev}
                spec:
                  accessLogging:
                  - providers: [{}]
                    disabled: "yes"
                """, "telemetry.yaml");

        assertThat(errors(r))
                .extracting(Diagnostic::fieldPath)
                .containsExactlyInAnyOrder("spec.accessLogging[0].providers[0].name", "spec.accessLogging[0].disabled");
        assertThat(r.bundle().istio().telemetries()).isEmpty();
    }

    @Test
    void analyzeWarnsAboutAProviderNamedNowhere() {
        LoadResult r = loader.loadString("""
                apiVersion: telemetry.istio.io/v1
                kind: Telemetry
                metadata: {name: logs, namespace: dev}
                spec:
                  accessLogging:
                  - providers: [{name: envoy}, {name: otel}]
                """, "telemetry.yaml");

        List<Diagnostic> found = new io.zonemesh.config.analysis.Analyzer().analyze(r.bundle());

        assertThat(found)
                .filteredOn(d -> d.code().equals("ZM0214"))
                .singleElement()
                .satisfies(d -> {
                    assertThat(d.fieldPath()).isEqualTo("spec.accessLogging[0].providers[1].name");
                    assertThat(d.message()).contains("\"otel\" names no access-log provider");
                });
    }
}

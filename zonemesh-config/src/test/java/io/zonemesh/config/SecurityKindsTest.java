package io.zonemesh.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.zonemesh.config.k8s.K8sSecret;
import io.zonemesh.model.istio.PeerAuthenticationConfig;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PeerAuthentication (both served versions) checked as Istio's {@code ValidatePeerAuthentication},
 * and the Secrets and ServiceAccounts `zonemesh up` reads.
 */
class SecurityKindsTest {
    private final ConfigLoader loader = new ConfigLoader();

    private static List<Diagnostic> errors(LoadResult r) {
        return r.diagnostics().stream().filter(Diagnostic::isError).toList();
    }

    private static String pa(String version, String spec) {
        return "apiVersion: security.istio.io/" + version + "\nkind: PeerAuthentication\n"
                + "metadata: {name: pa, namespace: bookinfo}\nspec:\n" + spec;
    }

    @Test
    void bothVersionsLoadWithModeSelectorPortsAndCreationTime() {
        LoadResult r = loader.loadString(pa("v1", """
                  selector: {matchLabels: {app: reviews}}
                  mtls: {mode: STRICT}
                  portLevelMtls:
                    "9080": {mode: DISABLE}
                    "9443": {}
                """).replace("namespace: bookinfo}", "namespace: bookinfo, creationTimestamp: 2026-01-02T15:04:05Z}")
                + "---\n" + pa("v1beta1", "  mtls: {}\n").replace("name: pa", "name: default"), "pa.yaml");

        assertThat(errors(r)).isEmpty();
        List<PeerAuthenticationConfig> all = r.bundle().istio().peerAuthentications();
        assertThat(all).hasSize(2);
        PeerAuthenticationConfig workload = all.get(0);
        assertThat(workload.mode()).isEqualTo(Mode.STRICT);
        assertThat(workload.selector().matchLabels()).isEqualTo(Map.of("app", "reviews"));
        assertThat(workload.portLevelMtls()).containsExactly(Map.entry(9080, Mode.DISABLE), Map.entry(9443, Mode.UNSET));
        assertThat(workload.creationTimestamp()).isEqualTo(Instant.parse("2026-01-02T15:04:05Z"));
        assertThat(workload.namespaceWide()).isFalse();
        PeerAuthenticationConfig namespaceWide = all.get(1);
        assertThat(namespaceWide.mode()).isEqualTo(Mode.UNSET);
        assertThat(namespaceWide.namespaceWide()).isTrue();
        assertThat(namespaceWide.creationTimestamp()).isNull();
    }

    @Test
    void istioValidationRulesEachGiveAPreciseFinding() {
        LoadResult r = loader.loadString(
                pa("v1", "  mtls: {mode: STRICT}\n  portLevelMtls: {\"8080\": {mode: DISABLE}}\n")
                        + "---\n"
                        + pa("v1", "  selector: {matchLabels: {app: a}}\n  portLevelMtls: {}\n")
                                .replace("name: pa", "name: empty")
                        + "---\n"
                        + pa("v1", "  selector: {matchLabels: {app: a}}\n  portLevelMtls: {\"0\": {mode: STRICT},"
                                        + " \"70000\": {mode: STRICT}, \"http\": {mode: STRICT}}\n")
                                .replace("name: pa", "name: ports")
                        + "---\n"
                        + pa("v1", "  selector: {matchLabels: {app: \"rev*\"}}\n").replace("name: pa", "name: wild")
                        + "---\n"
                        + pa("v1", "  mtls: {mode: STRICTER}\n").replace("name: pa", "name: mode")
                        + "---\n"
                        + pa("v1", "  mtls: {mode: STRICT}\n")
                                .replace("name: pa", "name: time")
                                .replace("namespace: bookinfo}", "namespace: bookinfo, creationTimestamp: yesterday}"),
                "bad.yaml");

        assertThat(errors(r))
                .extracting(Diagnostic::resource, Diagnostic::fieldPath)
                .contains(
                        tuple("PeerAuthentication/bookinfo/pa", "spec.portLevelMtls"),
                        tuple("PeerAuthentication/bookinfo/empty", "spec.portLevelMtls"),
                        tuple("PeerAuthentication/bookinfo/ports", "spec.portLevelMtls.0"),
                        tuple("PeerAuthentication/bookinfo/ports", "spec.portLevelMtls.70000"),
                        tuple("PeerAuthentication/bookinfo/ports", "spec.portLevelMtls.http"),
                        tuple("PeerAuthentication/bookinfo/wild", "spec.selector.matchLabels.app"),
                        tuple("PeerAuthentication/bookinfo/mode", "spec.mtls.mode"));
        assertThat(errors(r))
                .filteredOn(d -> d.resource().equals("PeerAuthentication/bookinfo/pa"))
                .singleElement()
                .satisfies(d -> assertThat(d.message()).contains("expected: portLevelMtls only with a selector"));
        assertThat(errors(r))
                .filteredOn(d -> d.fieldPath().equals("spec.portLevelMtls.70000"))
                .singleElement()
                .satisfies(d -> assertThat(d.message()).isEqualTo("70000 (expected: a port number 1..65535 as the key)"));
        assertThat(r.diagnostics())
                .filteredOn(d -> d.resource().equals("PeerAuthentication/bookinfo/time"))
                .extracting(Diagnostic::fieldPath)
                .containsExactly("metadata.creationTimestamp");
        assertThat(r.bundle().istio().peerAuthentications()).isEmpty();
    }

    @Test
    void aSelectorWithoutLabelsIsAWarningAsInIstio() {
        LoadResult r = loader.loadString(pa("v1beta1", "  selector: {}\n  mtls: {mode: PERMISSIVE}\n"), "w.yaml");

        assertThat(errors(r)).isEmpty();
        assertThat(r.diagnostics())
                .extracting(Diagnostic::severity, Diagnostic::fieldPath)
                .containsExactly(tuple(Diagnostic.Severity.WARNING, "spec.selector"));
        assertThat(r.bundle().istio().peerAuthentications().get(0).namespaceWide()).isTrue();
    }

    @Test
    void secretsMergeStringDataOverBase64Data() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Secret
                metadata: {name: cacerts, namespace: istio-system}
                data:
                  ca-cert.pem: Y2VydA==
                  root-cert.pem: b2xk
                stringData:
                  root-cert.pem: new
                """, "cacerts.yaml");

        assertThat(errors(r)).isEmpty();
        K8sSecret s = r.bundle().secret("istio-system", "cacerts");
        assertThat(s).isNotNull();
        assertThat(s.type()).isEqualTo("Opaque");
        assertThat(s.data()).containsOnlyKeys("ca-cert.pem", "root-cert.pem");
        assertThat(new String(s.get("ca-cert.pem"), StandardCharsets.UTF_8)).isEqualTo("cert");
        assertThat(new String(s.get("root-cert.pem"), StandardCharsets.UTF_8)).isEqualTo("new");
        assertThat(s.toString()).doesNotContain("cert\"").contains("ca-cert.pem=<4 bytes>");
    }

    @Test
    void secretsWithBadBase64OrKeysAreErrors() {
        LoadResult r = loader.loadString("""
                apiVersion: v1
                kind: Secret
                metadata: {name: bad}
                data:
                  ok: "!!!"
                stringData:
                  "bad/key": x
                """, "bad.yaml");

        assertThat(errors(r))
                .extracting(Diagnostic::fieldPath)
                .containsExactlyInAnyOrder("data.ok", "stringData[\"bad/key\"]");
        assertThat(r.bundle().secrets()).isEmpty();
    }
}

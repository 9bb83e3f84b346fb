package io.zonemesh.config.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.zonemesh.config.ConfigLoader;
import io.zonemesh.config.Diagnostic;
import io.zonemesh.config.LoadResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ZM0208 (a PeerAuthentication that applies nowhere) and ZM0209 (ISTIO_MUTUAL to pods without sidecar). */
class MtlsAnalysisTest {
    private static final String MESH = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: bookinfo, labels: {istio-injection: enabled}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: bookinfo}
            spec: {selector: {app: reviews}, ports: [{port: 9080, name: http}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v1, namespace: bookinfo}
            spec:
              selector: {matchLabels: {app: reviews}}
              template:
                metadata: {labels: {app: reviews, version: v1}}
                spec: {containers: [{name: reviews, image: img}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v2, namespace: bookinfo}
            spec:
              selector: {matchLabels: {app: reviews}}
              template:
                metadata: {labels: {app: reviews, version: v2, sidecar.istio.io/inject: "false"}}
                spec: {containers: [{name: reviews, image: img}]}
            ---
            """;

    private List<Diagnostic> analyze(String extra) {
        LoadResult r = new ConfigLoader().loadString(MESH + extra, "mesh.yaml");
        assertThat(r.hasErrors()).as("%s", r.diagnostics()).isFalse();
        return new Analyzer().analyze(r.bundle()).stream()
                .filter(d -> d.code().equals("ZM0208") || d.code().equals("ZM0209"))
                .toList();
    }

    @Test
    void peerAuthenticationsThatApplyNowhereAreReported() {
        List<Diagnostic> findings = analyze("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: typo, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: reveiws}}, mtls: {mode: STRICT}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: root, namespace: istio-system}
                spec: {selector: {matchLabels: {app: reviews}}, mtls: {mode: STRICT}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: good, namespace: bookinfo}
                spec: {selector: {matchLabels: {app: reviews}}, mtls: {mode: STRICT}}
                ---
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: bookinfo}
                spec: {mtls: {mode: STRICT}}
                """);

        assertThat(findings)
                .extracting(Diagnostic::code, Diagnostic::resource, Diagnostic::fieldPath)
                .containsExactly(
                        tuple("ZM0208", "PeerAuthentication/bookinfo/typo", "spec.selector.matchLabels"),
                        tuple("ZM0208", "PeerAuthentication/istio-system/root", "spec.selector"));
        assertThat(findings.get(0).message()).contains("{app=reveiws} selects no pod or WorkloadEntry");
    }

    @Test
    void istioMutualTowardPodsWithoutSidecarIsReportedPerPolicyAndSubset() {
        List<Diagnostic> findings = analyze("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  host: reviews
                  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
                  subsets:
                  - name: v1
                    labels: {version: v1}
                    trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
                  - name: v2
                    labels: {version: v2}
                    trafficPolicy:
                      portLevelSettings: [{port: {number: 9080}, tls: {mode: ISTIO_MUTUAL}}]
                """);

        assertThat(findings)
                .extracting(Diagnostic::code, Diagnostic::fieldPath)
                .containsExactly(
                        tuple("ZM0209", "spec.trafficPolicy.tls.mode"),
                        tuple("ZM0209", "spec.subsets[1].trafficPolicy.portLevelSettings[0].tls.mode"));
        assertThat(findings.get(0).message())
                .contains("1 of its endpoints have no sidecar (Deployment/bookinfo/reviews-v2)");
    }

    @Test
    void autoMtlsNeedsNoRuleAndGivesNoFinding() {
        assertThat(analyze("")).isEmpty();
    }
}

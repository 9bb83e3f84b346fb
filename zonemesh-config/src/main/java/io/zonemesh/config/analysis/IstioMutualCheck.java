package io.zonemesh.config.analysis;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.istio.ClientTls;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.TrafficPolicy;
import java.util.List;
import java.util.Map;

/**
 * ZM0209: a DestinationRule (or one of its subsets or port settings) with {@code tls.mode:
 * ISTIO_MUTUAL} toward endpoints without a sidecar. Unlike auto mTLS, which sends plaintext to
 * them, an explicit ISTIO_MUTUAL sends mutual TLS to every endpoint (istiod's mtlsChecker), and a
 * workload without a proxy cannot answer it.
 */
final class IstioMutualCheck implements Check {
    private static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";

    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (ServiceView service : mesh.services()) {
            for (DestinationRuleConfig dr : mesh.rulesFor(service)) {
                check(findings, service, dr, dr.trafficPolicy(), "spec.trafficPolicy", Map.of());
                for (int i = 0; i < dr.subsets().size(); i++) {
                    DestinationRuleConfig.Subset subset = dr.subsets().get(i);
                    check(findings, service, dr, subset.trafficPolicy(), "spec.subsets[" + i + "].trafficPolicy",
                            subset.labels());
                }
            }
        }
    }

    private static void check(
            Findings findings,
            ServiceView service,
            DestinationRuleConfig dr,
            @Nullable TrafficPolicy policy,
            String path,
            Map<String, String> subsetLabels) {
        if (policy == null) {
            return;
        }
        String field = null;
        if (istioMutual(policy.tls())) {
            field = path + ".tls.mode";
        } else {
            List<TrafficPolicy.PortTrafficPolicy> ports = policy.portLevelSettings();
            for (int i = 0; i < ports.size() && field == null; i++) {
                if (istioMutual(ports.get(i).tls())) {
                    field = path + ".portLevelSettings[" + i + "].tls.mode";
                }
            }
        }
        if (field == null) {
            return;
        }
        List<String> plain = service.endpoints().stream()
                .filter(e -> MeshIndex.selects(subsetLabels, e.labels()))
                .filter(e -> !"istio".equals(e.labels().get(TLS_MODE_LABEL)))
                .map(EndpointView::workload)
                .distinct()
                .toList();
        if (!plain.isEmpty()) {
            findings.add(
                    DiagnosticCode.ISTIO_MUTUAL_WITHOUT_SIDECAR,
                    dr.meta(),
                    field,
                    "ISTIO_MUTUAL toward " + service.host() + ", but " + plain.size() + " of its endpoints have no "
                            + "sidecar (" + String.join(", ", plain.subList(0, Math.min(3, plain.size())))
                            + (plain.size() > 3 ? ", ..." : "") + ") and cannot terminate Istio mutual TLS (expected: "
                            + "sidecars on them, or no tls so auto mTLS sends them plaintext)");
        }
    }

    private static boolean istioMutual(@Nullable ClientTls tls) {
        return tls != null && tls.mode() == ClientTls.Mode.ISTIO_MUTUAL;
    }
}

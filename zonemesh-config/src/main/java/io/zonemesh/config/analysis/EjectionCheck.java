package io.zonemesh.config.analysis;

import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.OutlierDetection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ZM0202: outlier detection that cannot eject enough hosts. Envoy ejects a host only while
 * {@code 100 * (ejected + 1) / hosts <= max_ejection_percent} over the whole cluster
 * (outlier_detection_impl.cc, LOCALITY.md §3.4), default 10%. zonemesh emits
 * {@code always_eject_one_host} unless {@code maxEjectionPercent} is set, so one host can always
 * go; an explicit percentage too small for the pool means none can, and a limit below a
 * locality's size means a dead locality is never fully drained, so its callers keep sending it
 * most of their traffic.
 */
final class EjectionCheck implements Check {
    /** Envoy's default {@code max_ejection_percent}. */
    static final int ENVOY_DEFAULT_MAX_EJECTION_PERCENT = 10;

    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (ServiceView service : mesh.services()) {
            for (DestinationRuleConfig dr : mesh.rulesFor(service)) {
                for (PolicyView policy : PolicyView.of(dr)) {
                    check(policy, service, findings);
                }
            }
        }
    }

    private static void check(PolicyView policy, ServiceView service, Findings findings) {
        OutlierDetection od = policy.outlierDetection();
        List<EndpointView> endpoints = policy.endpoints(service);
        int n = endpoints.size();
        if (od == null || n == 0) {
            return;
        }
        // Istio copies maxEjectionPercent only when > 0 (applyOutlierDetection), so 0 counts as unset.
        Integer configured = od.maxEjectionPercent();
        boolean explicit = configured != null && configured > 0;
        int max = configured != null && configured > 0 ? configured : ENVOY_DEFAULT_MAX_EJECTION_PERCENT;
        int ejectable = Math.min(n, explicit ? max * n / 100 : Math.max(1, max * n / 100));
        String field = explicit ? policy.outlierPath() + ".maxEjectionPercent" : policy.outlierPath();
        String rule = "Envoy ejects a host only while 100*(ejected+1)/hosts <= maxEjectionPercent over the whole "
                + "cluster (LOCALITY.md §3.4)";
        if (ejectable == 0) {
            int needed = (100 + n - 1) / n;
            findings.add(
                    DiagnosticCode.OUTLIER_DETECTION_NEVER_EJECTS,
                    policy.rule().meta(),
                    field,
                    "maxEjectionPercent " + max + " with " + n + " endpoint(s) of " + service.host() + ": " + rule
                            + ", and 100*1/" + n + " = " + (100 / n) + " > " + max + ", so no endpoint can ever be "
                            + "ejected and locality failover never triggers; zonemesh emits always_eject_one_host "
                            + "only when maxEjectionPercent is unset (expected: at least " + needed + ", e.g. 100 as "
                            + "Istio's own locality tests use, or leave it unset)");
            return;
        }
        if (policy.localityDisabled() || policy.distributes()) {
            return;
        }
        Map<Locality, Integer> perLocality = new HashMap<>();
        for (EndpointView e : endpoints) {
            if (!e.locality().isEmpty()) {
                perLocality.merge(e.locality(), 1, Integer::sum);
            }
        }
        if (perLocality.size() < 2) {
            return;
        }
        Map.Entry<Locality, Integer> largest = perLocality.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .orElseThrow();
        if (largest.getValue() > ejectable) {
            findings.add(
                    DiagnosticCode.OUTLIER_DETECTION_NEVER_EJECTS,
                    policy.rule().meta(),
                    field,
                    "at most " + ejectable + " of the " + n + " endpoints of " + service.host() + " can be ejected "
                            + "at once (" + rule + ", maxEjectionPercent " + max
                            + (explicit ? "" : " by default, plus zonemesh's always_eject_one_host")
                            + "), fewer than the "
                            + largest.getValue() + " endpoints in " + largest.getKey() + ": when that locality "
                            + "fails, its remaining endpoints stay in the pool and its callers keep sending them most "
                            + "of their traffic (expected: maxEjectionPercent of at least "
                            + ((100 * largest.getValue() + n - 1) / n) + ")");
        }
    }
}

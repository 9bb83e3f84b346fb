package io.zonemesh.config.analysis;

import io.zonemesh.config.Diagnostic.Severity;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.DestinationRuleConfig;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * ZM0201: locality failover that cannot happen. Istio orders endpoints by locality (and honours
 * {@code failover}/{@code failoverPriority}) only when the DestinationRule has outlierDetection
 * (endpoint_builder.go, LOCALITY.md §2.1); otherwise every endpoint sits at priority 0, callers
 * are spread over all localities and failed endpoints are never ejected. The exceptions that
 * force failover without it — a Service's {@code trafficDistribution} when no DestinationRule
 * sets localityLbSetting (§1.1) — and {@code distribute}, which needs none, are respected.
 */
final class LocalityFailoverCheck implements Check {
    private static final Set<String> FORCING_DISTRIBUTIONS = Set.of("PreferClose", "PreferSameZone", "PreferSameNode");

    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (ServiceView service : mesh.services()) {
            List<DestinationRuleConfig> rules = mesh.rulesFor(service);
            boolean multiLocality = service.localities().size() >= 2;
            boolean forced = service.trafficDistribution() != null
                    && FORCING_DISTRIBUTIONS.contains(service.trafficDistribution());
            if (rules.isEmpty()) {
                noRule(mesh, service, multiLocality && !forced, findings);
                continue;
            }
            for (DestinationRuleConfig dr : rules) {
                for (PolicyView policy : PolicyView.of(dr)) {
                    check(policy, service, multiLocality, forced, findings);
                }
            }
        }
    }

    private static void noRule(MeshIndex mesh, ServiceView service, boolean relevant, Findings findings) {
        if (!relevant) {
            return;
        }
        Set<Locality> callers = new LinkedHashSet<>();
        for (PodView p : mesh.meshedCallers(service)) {
            if (!p.locality().isEmpty()) {
                callers.add(p.locality());
            }
        }
        if (callers.size() < 2) {
            return;
        }
        findings.add(
                DiagnosticCode.FAILOVER_WITHOUT_OUTLIER_DETECTION,
                service.meta(),
                "",
                "no DestinationRule for " + service.host() + ": locality failover is off and traffic is spread "
                        + "across zones; callers in " + callers + " reach the endpoints in " + service.localities()
                        + " alike, paying for cross-zone traffic (expected: a DestinationRule with outlierDetection, "
                        + "which makes Istio prefer the caller's locality and fail over when it breaks, LOCALITY.md "
                        + "§2.1; or spec.trafficDistribution: PreferClose on the Service)");
    }

    private static void check(
            PolicyView policy, ServiceView service, boolean multiLocality, boolean forced, Findings findings) {
        // zoneAwareLbSetting orders endpoints and lets Envoy keep traffic local without
        // outlierDetection (Istio ignores the flag for it, ZONE_AWARE.md §4).
        if (policy.outlierDetection() != null
                || policy.localityDisabled()
                || policy.distributes()
                || policy.zoneAware()) {
            return;
        }
        DestinationRuleConfig dr = policy.rule();
        if (policy.explicitFailover()) {
            String field =
                    Objects.requireNonNull(policy.locality()).failover().isEmpty() ? "failoverPriority" : "failover";
            findings.add(
                    DiagnosticCode.FAILOVER_WITHOUT_OUTLIER_DETECTION,
                    Severity.ERROR,
                    dr.meta(),
                    policy.localityPath() + "." + field,
                    field + " is set but " + policy.path() + " has no "
                            + "outlierDetection, so it is ignored: Istio emits locality priorities only when the "
                            + "DestinationRule has outlierDetection (LOCALITY.md §2.1); traffic to "
                            + service.host() + " is spread over all localities and endpoints that fail are never "
                            + "ejected (expected: an outlierDetection at " + policy.path()
                            + ", e.g. consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s)");
        } else if (policy.subsetLabels() == null && multiLocality && (policy.locality() != null || !forced)) {
            // Reported for the top-level policy only: subsets without outlierDetection share its cause.
            // A rule that spells out localityLbSetting asks for locality behaviour it cannot get: an error,
            // so `zonemesh analyze` fails the build; a rule silent on locality only warns.
            Severity severity = policy.locality() != null ? Severity.ERROR : Severity.WARNING;
            findings.add(
                    DiagnosticCode.FAILOVER_WITHOUT_OUTLIER_DETECTION,
                    severity,
                    dr.meta(),
                    policy.path(),
                    "no outlierDetection, so locality failover is off for " + service.host() + " although its "
                            + "endpoints are in " + service.localities() + ": Istio orders endpoints by the "
                            + "caller's locality only when the DestinationRule has outlierDetection (LOCALITY.md "
                            + "§2.1); traffic is spread across zones and failed endpoints are never ejected "
                            + "(expected: an outlierDetection, e.g. consecutive5xxErrors: 5, interval: 10s, "
                            + "baseEjectionTime: 30s)");
        }
    }
}

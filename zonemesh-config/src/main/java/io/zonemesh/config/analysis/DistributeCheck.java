package io.zonemesh.config.analysis;

import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LocalityLbSetting;
import java.util.Objects;

/**
 * ZM0206: {@code distribute} silently drops endpoints without locality. Istio's
 * {@code applyLocalityWeights} keeps only the localities some {@code to} key matches, and an
 * endpoint with no locality matches only {@code *} (LOCALITY.md §1.6; istio#31340, #59202).
 */
final class DistributeCheck implements Check {
    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (ServiceView service : mesh.services()) {
            for (DestinationRuleConfig dr : mesh.rulesFor(service)) {
                for (PolicyView policy : PolicyView.of(dr)) {
                    if (policy.distributes()) {
                        check(policy, service, findings);
                    }
                }
            }
        }
    }

    private static void check(PolicyView policy, ServiceView service, Findings findings) {
        long without = policy.endpoints(service).stream()
                .filter(e -> e.locality().isEmpty())
                .count();
        if (without == 0) {
            return;
        }
        // distributes() checked locality != null.
        for (LocalityLbSetting.Distribute d :
                Objects.requireNonNull(policy.locality()).distribute()) {
            if (!d.to().containsKey("*")) {
                findings.add(
                        DiagnosticCode.DISTRIBUTE_DROPS_ENDPOINTS,
                        policy.rule().meta(),
                        policy.localityPath() + ".distribute",
                        without + " endpoint(s) of " + service.host()
                                + " have no locality; distribute keeps only endpoints a 'to' locality matches, and "
                                + "those match only '*', so callers matched by a 'from' never reach them (expected: "
                                + "topology labels on their Nodes or WorkloadEntries, or a '*' entry in 'to')");
                return;
            }
        }
    }
}

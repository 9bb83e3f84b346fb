package io.zonemesh.config.analysis;

import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.istio.DestinationRuleConfig;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * ZM0207: a DestinationRule that callers cannot see. Istio looks a caller's rule up in the
 * caller's namespace, then among rules the service's namespace exports, then in the root
 * namespace ({@code istio-system}) (push_context.go {@code destinationRule}); a rule in any other
 * namespace, or one its {@code exportTo} keeps private, does not apply to the other callers.
 */
final class VisibilityCheck implements Check {
    static final String ROOT_NAMESPACE = "istio-system";

    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (ServiceView service : mesh.services()) {
            List<DestinationRuleConfig> rules = mesh.rulesFor(service);
            if (rules.isEmpty()) {
                continue;
            }
            Set<String> uncovered = new TreeSet<>();
            for (PodView caller : mesh.meshedCallers(service)) {
                if (rules.stream().noneMatch(dr -> appliesTo(dr, service, caller.namespace()))) {
                    uncovered.add(caller.namespace());
                }
            }
            if (uncovered.isEmpty()) {
                continue;
            }
            for (DestinationRuleConfig dr : rules) {
                boolean thirdNamespace = !dr.meta().namespace().equals(service.namespace())
                        && !dr.meta().namespace().equals(ROOT_NAMESPACE);
                String where = thirdNamespace ? "metadata.namespace" : "spec.exportTo";
                findings.add(
                        DiagnosticCode.DESTINATION_RULE_NOT_VISIBLE,
                        dr.meta(),
                        where,
                        "applies to "
                                + service.host() + " only for callers in namespace "
                                + dr.meta().namespace()
                                + (thirdNamespace ? "" : " and those it is exported to") + "; callers in " + uncovered
                                + " use no DestinationRule for it (expected: the rule in the service's namespace "
                                + service.namespace() + " or in " + ROOT_NAMESPACE + ", exported to the callers)");
            }
        }
    }

    private static boolean appliesTo(DestinationRuleConfig dr, ServiceView service, String callerNamespace) {
        String ns = dr.meta().namespace();
        if (ns.equals(callerNamespace)) {
            return !dr.exportTo().contains("~");
        }
        boolean exported = dr.exportTo().isEmpty()
                || dr.exportTo().contains("*")
                || dr.exportTo().contains(callerNamespace);
        return exported && (ns.equals(service.namespace()) || ns.equals(ROOT_NAMESPACE));
    }
}

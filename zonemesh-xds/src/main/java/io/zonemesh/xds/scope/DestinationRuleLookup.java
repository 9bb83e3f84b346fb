package io.zonemesh.xds.scope;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.DestinationRuleConfig.Subset;
import io.zonemesh.model.istio.ResourceMeta;
import io.zonemesh.model.istio.TrafficPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which DestinationRule applies to a host for a proxy, after Istio's {@code PushContext.destinationRule}.
 *
 * <p>Lookup order: rules in the proxy's namespace (those whose {@code workloadSelector} matches
 * the proxy first, then those without a selector), then rules in the service's namespace exported
 * to the proxy's namespace, then rules in the root namespace ({@value #ROOT_NAMESPACE}) exported to
 * it. Within the first namespace that has a match, the most specific host wins (exact, then the
 * longest wildcard), and rules with that same host are merged as Istio does: the first one's
 * policy, plus subsets of later ones whose names are new, plus a later top-level policy when the
 * first has none. Rules keep the order the snapshot lists them in (Istio orders by creation time).
 *
 * <p>Not done: merging a workload-selected rule with the namespace-wide one, the mesh's
 * {@code defaultDestinationRuleExportTo}, and a configurable root namespace.
 */
public final class DestinationRuleLookup {
    /** Istio's default {@code rootNamespace}; MeshSettings does not model it yet. */
    public static final String ROOT_NAMESPACE = "istio-system";

    private final List<DestinationRuleConfig> rules;
    private final String domainSuffix;

    public DestinationRuleLookup(List<DestinationRuleConfig> rules, String domainSuffix) {
        this.rules = List.copyOf(rules);
        this.domainSuffix = Objects.requireNonNull(domainSuffix, "domainSuffix");
    }

    /**
     * The (merged) rule for {@code hostname}, or null.
     *
     * @param proxyLabels the proxy's labels; only those named by workload selectors need be present
     */
    public @Nullable DestinationRuleConfig find(
            String proxyNamespace, Map<String, String> proxyLabels, String hostname, String serviceNamespace) {
        List<DestinationRuleConfig> selected = new ArrayList<>();
        List<DestinationRuleConfig> namespaceWide = new ArrayList<>();
        for (DestinationRuleConfig dr : rules) {
            if (dr.meta().namespace().equals(proxyNamespace)) {
                if (dr.workloadSelector() == null) {
                    namespaceWide.add(dr);
                } else if (dr.workloadSelector().matches(proxyLabels)) {
                    selected.add(dr);
                }
            }
        }
        DestinationRuleConfig found = bestMatch(selected, hostname);
        if (found == null) {
            found = bestMatch(namespaceWide, hostname);
        }
        if (found == null && !serviceNamespace.equals(proxyNamespace)) {
            found = bestMatch(exported(serviceNamespace, proxyNamespace), hostname);
        }
        if (found == null && !ROOT_NAMESPACE.equals(proxyNamespace) && !ROOT_NAMESPACE.equals(serviceNamespace)) {
            found = bestMatch(exported(ROOT_NAMESPACE, proxyNamespace), hostname);
        }
        return found;
    }

    /** The host of a rule, with a short name resolved in the rule's namespace. */
    public String resolvedHost(DestinationRuleConfig dr) {
        return Hostnames.resolve(dr.host(), dr.meta().namespace(), domainSuffix);
    }

    private List<DestinationRuleConfig> exported(String namespace, String proxyNamespace) {
        List<DestinationRuleConfig> out = new ArrayList<>();
        for (DestinationRuleConfig dr : rules) {
            if (dr.meta().namespace().equals(namespace)
                    && dr.workloadSelector() == null
                    && Hostnames.exportedTo(dr.exportTo(), namespace, proxyNamespace)) {
                out.add(dr);
            }
        }
        return out;
    }

    private @Nullable DestinationRuleConfig bestMatch(List<DestinationRuleConfig> candidates, String hostname) {
        String best = null;
        for (DestinationRuleConfig dr : candidates) {
            String host = resolvedHost(dr);
            if (Hostnames.matches(host, hostname)
                    && (best == null || Hostnames.specificity(host) > Hostnames.specificity(best))) {
                best = host;
            }
        }
        if (best == null) {
            return null;
        }
        DestinationRuleConfig merged = null;
        for (DestinationRuleConfig dr : candidates) {
            if (resolvedHost(dr).equals(best)) {
                merged = merged == null ? dr : merge(merged, dr);
            }
        }
        return merged;
    }

    private static DestinationRuleConfig merge(DestinationRuleConfig first, DestinationRuleConfig next) {
        List<Subset> subsets = new ArrayList<>(first.subsets());
        Set<String> names = new HashSet<>();
        first.subsets().forEach(s -> names.add(s.name()));
        for (Subset s : next.subsets()) {
            if (names.add(s.name())) {
                subsets.add(s);
            }
        }
        TrafficPolicy policy = first.trafficPolicy();
        ResourceMeta meta = first.meta();
        if (policy == null && next.trafficPolicy() != null) {
            // The annotations that qualify a policy (zonemesh.io/distribute-failover) travel with it.
            policy = next.trafficPolicy();
            meta = next.meta();
        }
        return new DestinationRuleConfig(
                meta, first.host(), policy, subsets, first.exportTo(), first.workloadSelector());
    }
}

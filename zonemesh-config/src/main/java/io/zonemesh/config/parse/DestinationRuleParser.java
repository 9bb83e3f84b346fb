package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.DestinationRule;
import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@code DestinationRule} spec, validated as Istio's {@code ValidateDestinationRule}. */
final class DestinationRuleParser {
    private static final FieldPath SPEC = FieldPath.of("spec");

    private DestinationRuleParser() {}

    static DestinationRuleConfig parse(@Nullable DestinationRule in, ParseContext ctx) {
        DestinationRule spec = in == null ? new DestinationRule() : in;
        String host = spec.getHost() == null ? "" : spec.getHost();
        if (ctx.require(SPEC.field("host"), spec.getHost(), "the service host the rule applies to, e.g. reviews")) {
            String problem = Names.wildcardDomain(host);
            if (problem != null) {
                ctx.invalid(SPEC.field("host"), problem);
            }
        }
        TrafficPolicy policy = spec.getTrafficPolicy() == null
                ? null
                : TrafficPolicyParser.parse(spec.getTrafficPolicy(), SPEC.field("trafficPolicy"), false, ctx);
        boolean topOutlier =
                spec.getTrafficPolicy() != null && spec.getTrafficPolicy().getOutlierDetection() != null;
        List<DestinationRuleConfig.Subset> subsets = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Subset> in2 = Values.list(spec.getSubsets());
        for (int i = 0; i < in2.size(); i++) {
            Subset s = in2.get(i);
            if (s != null) {
                DestinationRuleConfig.Subset subset =
                        subset(s, SPEC.field("subsets").index(i), topOutlier, names, ctx);
                if (subset != null) {
                    subsets.add(subset);
                }
            }
        }
        WorkloadSelector selector = null;
        if (spec.getWorkloadSelector() != null) {
            Map<String, String> labels =
                    Values.strings(spec.getWorkloadSelector().getMatchLabels());
            Labels.validate(labels, SPEC.field("workloadSelector").field("matchLabels"), ctx);
            selector = new WorkloadSelector(labels);
        }
        return new DestinationRuleConfig(
                ctx.meta(),
                host,
                policy,
                subsets,
                ExportTo.parse(spec.getExportTo(), SPEC.field("exportTo"), ctx),
                selector);
    }

    private static DestinationRuleConfig.@Nullable Subset subset(
            Subset in, FieldPath path, boolean topOutlier, Set<String> names, ParseContext ctx) {
        String name = in.getName();
        boolean ok = ctx.require(path.field("name"), name, "a subset name such as v1");
        if (ok) {
            String problem = Names.dns1123Label(name);
            if (problem != null) {
                ctx.invalid(path.field("name"), problem);
                ok = false;
            } else if (!names.add(name)) {
                ctx.invalid(path.field("name"), '"' + name + "\" (expected: a name no other subset has)");
                ok = false;
            }
        }
        Map<String, String> labels = Values.strings(in.getLabels());
        Labels.validate(labels, path.field("labels"), ctx);
        TrafficPolicy policy = in.getTrafficPolicy() == null
                ? null
                : TrafficPolicyParser.parse(in.getTrafficPolicy(), path.field("trafficPolicy"), topOutlier, ctx);
        return ok ? new DestinationRuleConfig.Subset(name, labels, policy) : null;
    }
}

package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;

/** A validated {@code DestinationRule}. {@code host} is as written (short or FQDN). */
public record DestinationRuleConfig(
        ResourceMeta meta,
        String host,
        @Nullable TrafficPolicy trafficPolicy,
        List<Subset> subsets,
        List<String> exportTo,
        @Nullable WorkloadSelector workloadSelector) {

    public DestinationRuleConfig {
        subsets = List.copyOf(subsets);
        exportTo = List.copyOf(exportTo);
    }

    /** A named subset of the host's endpoints with its own (merged) traffic policy. */
    public record Subset(
            String name,
            java.util.Map<String, String> labels,
            @Nullable TrafficPolicy trafficPolicy) {
        public Subset {
            labels = java.util.Map.copyOf(labels);
        }
    }
}

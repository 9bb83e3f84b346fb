package io.zonemesh.model.istio;

import java.util.Map;

/** {@code workloadSelector.matchLabels} / {@code selector}. */
public record WorkloadSelector(Map<String, String> matchLabels) {
    public WorkloadSelector {
        matchLabels = Map.copyOf(matchLabels);
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}

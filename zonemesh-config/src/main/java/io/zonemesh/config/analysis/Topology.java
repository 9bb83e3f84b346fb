package io.zonemesh.config.analysis;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import java.util.Map;

/** How Istio derives a locality from labels (LOCALITY.md §2.3). */
final class Topology {
    static final String REGION = "topology.kubernetes.io/region";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String SUBZONE = "topology.istio.io/subzone";
    static final String LEGACY_REGION = "failure-domain.beta.kubernetes.io/region";
    static final String LEGACY_ZONE = "failure-domain.beta.kubernetes.io/zone";
    static final String LOCALITY = "topology.istio.io/locality";
    static final String LEGACY_LOCALITY = "istio-locality";
    static final String CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane";

    private Topology() {}

    /** A Node's (or WorkloadEntry's) locality from its region, zone and subzone labels. */
    static Locality ofLabels(Map<String, String> labels) {
        return new Locality(labels.getOrDefault(REGION, labels.getOrDefault(LEGACY_REGION, "")),
                labels.getOrDefault(ZONE, labels.getOrDefault(LEGACY_ZONE, "")), labels.getOrDefault(SUBZONE, ""));
    }

    /**
     * The pod label override, or null. Label values cannot hold {@code /}, so Istio's
     * {@code SanitizeLocalityLabel} reads {@code .} as {@code /} when there is no {@code /}.
     */
    static @Nullable Locality podOverride(Map<String, String> podLabels) {
        String v = podLabels.getOrDefault(LOCALITY, podLabels.get(LEGACY_LOCALITY));
        if (v == null || v.isEmpty()) {
            return null;
        }
        return Locality.parse(v.contains("/") ? v : v.replace('.', '/'));
    }
}

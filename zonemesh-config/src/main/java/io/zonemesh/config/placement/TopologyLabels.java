package io.zonemesh.config.placement;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import java.util.Map;

/** The Kubernetes and Istio label keys that carry topology, and how Istio reads them. */
public final class TopologyLabels {
    public static final String REGION = "topology.kubernetes.io/region";
    public static final String ZONE = "topology.kubernetes.io/zone";
    public static final String SUBZONE = "topology.istio.io/subzone";
    public static final String LEGACY_REGION = "failure-domain.beta.kubernetes.io/region";
    public static final String LEGACY_ZONE = "failure-domain.beta.kubernetes.io/zone";
    public static final String LOCALITY = "topology.istio.io/locality";
    public static final String LEGACY_LOCALITY = "istio-locality";
    public static final String HOSTNAME = "kubernetes.io/hostname";
    public static final String CLUSTER = "topology.istio.io/cluster";
    public static final String NETWORK = "topology.istio.io/network";
    public static final String CONTROL_PLANE_ROLE = "node-role.kubernetes.io/control-plane";

    private TopologyLabels() {}

    /** A Node's locality: region and zone (with the legacy fallbacks) and subzone. */
    public static Locality ofNode(Map<String, String> nodeLabels) {
        String region = nodeLabels.getOrDefault(REGION, nodeLabels.getOrDefault(LEGACY_REGION, ""));
        String zone = nodeLabels.getOrDefault(ZONE, nodeLabels.getOrDefault(LEGACY_ZONE, ""));
        return new Locality(region, zone, nodeLabels.getOrDefault(SUBZONE, ""));
    }

    /**
     * The pod label override ({@code topology.istio.io/locality}, then {@code istio-locality}),
     * or null. Label values cannot hold {@code /}, so Istio's {@code SanitizeLocalityLabel}
     * turns {@code .} into {@code /} when the value has no {@code /}.
     */
    public static @Nullable Locality ofPodLabels(Map<String, String> podLabels) {
        String value = podLabels.getOrDefault(LOCALITY, podLabels.get(LEGACY_LOCALITY));
        if (value == null || value.isEmpty()) {
            return null;
        }
        return Locality.parse(value.contains("/") ? value : value.replace('.', '/'));
    }
}

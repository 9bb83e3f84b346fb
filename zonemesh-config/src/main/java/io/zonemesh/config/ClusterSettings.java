package io.zonemesh.config;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.k8s.IstioOperatorConfig;
import io.zonemesh.config.k8s.K8sNamespace;
import io.zonemesh.model.MeshSettings;
import java.util.Objects;

/**
 * One cluster's identity in a multi-cluster mesh: its cluster id (istiod's {@code CLUSTER_ID},
 * {@code topology.istio.io/cluster}), its default network ({@code topology.istio.io/network}) and
 * its trust domain.
 *
 * @param network "" when the cluster declares none (a single-network mesh)
 */
public record ClusterSettings(String clusterName, String network, String trustDomain) {
    /** The label istiod reads a cluster's default network from, on its system namespace. */
    public static final String NETWORK_LABEL = "topology.istio.io/network";
    /** istiod's system namespace. */
    public static final String SYSTEM_NAMESPACE = "istio-system";

    public ClusterSettings {
        if (clusterName == null || clusterName.isEmpty()) {
            throw new IllegalArgumentException("clusterName: " + clusterName + " (expected: non-empty)");
        }
        network = Objects.requireNonNullElse(network, "");
        if (trustDomain == null || trustDomain.isEmpty()) {
            throw new IllegalArgumentException("trustDomain: " + trustDomain + " (expected: non-empty)");
        }
    }

    /**
     * The settings of the cluster whose configuration is {@code bundle}: the cluster name and trust
     * domain of its IstioOperator (the first one read that sets them), else {@code defaults}'; the
     * network from the {@value #NETWORK_LABEL} label of the {@value #SYSTEM_NAMESPACE} Namespace
     * (istiod's {@code Controller.Network} source 2; the label wins as it does for endpoints), else the
     * IstioOperator's {@code values.global.network}, else {@code defaults}'.
     */
    public static ClusterSettings resolve(MeshConfigBundle bundle, ClusterSettings defaults) {
        String cluster = null;
        String network = null;
        String trustDomain = null;
        for (IstioOperatorConfig op : bundle.istioOperators()) {
            cluster = first(cluster, op.clusterName());
            network = first(network, op.network());
            trustDomain = first(trustDomain, op.trustDomain());
        }
        for (K8sNamespace ns : bundle.namespaces()) {
            String label = ns.meta().labels().get(NETWORK_LABEL);
            if (ns.meta().name().equals(SYSTEM_NAMESPACE) && label != null && !label.isEmpty()) {
                network = label;
            }
        }
        return new ClusterSettings(
                orElse(cluster, defaults.clusterName()),
                orElse(network, defaults.network()),
                orElse(trustDomain, defaults.trustDomain()));
    }

    /** {@code mesh} with this cluster's name and network (endpoints without their own get them). */
    public MeshSettings applyTo(MeshSettings mesh) {
        return new MeshSettings(
                mesh.localityLbSetting(),
                mesh.connectTimeout(),
                mesh.domainSuffix(),
                clusterName,
                network,
                mesh.enableAutoMtls(),
                mesh.rootNamespace());
    }

    private static @Nullable String first(@Nullable String current, @Nullable String candidate) {
        return current != null ? current : candidate == null || candidate.isEmpty() ? null : candidate;
    }

    private static String orElse(@Nullable String value, String fallback) {
        return value != null ? value : fallback;
    }
}

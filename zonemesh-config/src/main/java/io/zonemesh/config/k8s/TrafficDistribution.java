package io.zonemesh.config.k8s;

import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Istio's reading of a service's traffic distribution ({@code model.GetTrafficDistribution} and
 * the kube controller): Kubernetes {@code spec.trafficDistribution} when it holds a value Istio
 * knows, else the {@value #ANNOTATION} annotation (case-insensitive), on the Service or
 * ServiceEntry, else the same annotation on its Namespace. {@code PreferClose} is an alias of
 * {@code PreferSameZone}; {@code Any}, unset and unknown values mean no preference.
 */
public final class TrafficDistribution {
    /** The annotation Istio reads on Services, ServiceEntries and Namespaces. */
    public static final String ANNOTATION = "networking.istio.io/traffic-distribution";
    /** Prefer the caller's zone, then region, then network. */
    public static final String PREFER_SAME_ZONE = "PreferSameZone";
    /** Prefer the caller's node, then subzone, zone, region and network. */
    public static final String PREFER_SAME_NODE = "PreferSameNode";

    private TrafficDistribution() {}

    /**
     * The service's own distribution: {@code spec} if Istio knows it (an unknown spec value does
     * not hide the annotation), else the annotation; null for no preference.
     */
    public static @Nullable String of(@Nullable String spec, Map<String, String> annotations) {
        String fromSpec = spec == null ? null : canonical(spec);
        return fromSpec != null ? fromSpec : canonical(annotations.getOrDefault(ANNOTATION, ""));
    }

    /**
     * The distribution in force: the service's own ({@link #of}), else its namespace's annotation.
     *
     * @param namespaces every Namespace of the configuration, to find the service's
     */
    public static @Nullable String resolve(@Nullable String own, String namespace, List<K8sNamespace> namespaces) {
        if (own != null) {
            return own;
        }
        for (K8sNamespace ns : namespaces) {
            if (ns.meta().name().equals(namespace)) {
                return canonical(ns.meta().annotations().getOrDefault(ANNOTATION, ""));
            }
        }
        return null;
    }

    /** {@link #PREFER_SAME_ZONE}, {@link #PREFER_SAME_NODE} or null, as Istio's switch (case-insensitive). */
    public static @Nullable String canonical(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "preferclose":
            case "prefersamezone":
                return PREFER_SAME_ZONE;
            case "prefersamenode":
                return PREFER_SAME_NODE;
            default:
                return null;
        }
    }
}

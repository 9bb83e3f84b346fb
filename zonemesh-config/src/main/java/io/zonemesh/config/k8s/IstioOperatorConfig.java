package io.zonemesh.config.k8s;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.List;
import java.util.Objects;

/**
 * The parts of an {@code install.istio.io/v1alpha1 IstioOperator} that describe a cluster's place
 * in a multi-cluster mesh; every other field is accepted and listed in {@code ignoredFields}.
 *
 * @param clusterName {@code spec.values.global.multiCluster.clusterName} (istiod's CLUSTER_ID), or null
 * @param network {@code spec.values.global.network}, or null
 * @param trustDomain {@code spec.meshConfig.trustDomain}, or null
 * @param ignoredFields field paths present but not used, e.g. {@code spec.profile}
 */
public record IstioOperatorConfig(
        ResourceMeta meta,
        @Nullable String clusterName,
        @Nullable String network,
        @Nullable String trustDomain,
        List<String> ignoredFields)
        implements K8sMeta {
    public IstioOperatorConfig {
        Objects.requireNonNull(meta, "meta");
        ignoredFields = List.copyOf(ignoredFields);
    }
}

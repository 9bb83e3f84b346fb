package io.zonemesh.config.k8s;

import io.zonemesh.model.istio.MeshAccessLog;
import io.zonemesh.model.istio.ResourceMeta;
import java.util.Objects;

/**
 * The {@code istio} ConfigMap (istiod's mesh configuration, key {@code mesh}): the MeshConfig fields
 * zonemesh reads from it.
 */
public record MeshConfigMap(ResourceMeta meta, MeshAccessLog accessLog) implements K8sMeta {
    /** The ConfigMap name istiod reads (revision {@code rev} reads {@code istio-rev}). */
    public static final String NAME = "istio";

    public MeshConfigMap {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(accessLog, "accessLog");
    }
}

package io.zonemesh.config.k8s;

import io.zonemesh.model.istio.ResourceMeta;

/** Marker for converted Kubernetes resources: each keeps where it came from. */
public interface K8sMeta {
    ResourceMeta meta();
}

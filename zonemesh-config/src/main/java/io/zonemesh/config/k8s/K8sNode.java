package io.zonemesh.config.k8s;

import io.zonemesh.model.istio.ResourceMeta;

/** A Node; its topology labels give pods their locality. */
public record K8sNode(ResourceMeta meta) implements K8sMeta {}

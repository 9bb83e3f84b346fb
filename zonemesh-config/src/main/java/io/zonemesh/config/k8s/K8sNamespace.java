package io.zonemesh.config.k8s;

import io.zonemesh.model.istio.ResourceMeta;

/** A Namespace; its labels decide sidecar injection ({@code istio-injection}). */
public record K8sNamespace(ResourceMeta meta) implements K8sMeta {}

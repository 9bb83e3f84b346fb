package io.zonemesh.config.k8s;

import io.zonemesh.model.istio.ResourceMeta;

/**
 * A ServiceAccount: the identity {@code spiffe://<trust domain>/ns/<namespace>/sa/<name>} that the
 * pods naming it in {@code spec.serviceAccountName} get their certificates for.
 */
public record K8sServiceAccount(ResourceMeta meta) implements K8sMeta {}

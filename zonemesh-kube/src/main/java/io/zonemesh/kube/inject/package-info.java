/**
 * Sidecar injection as Istio's injector does it ({@code pkg/kube/inject}): which pods get a
 * sidecar ({@link io.zonemesh.kube.inject.InjectionPolicy}), what the injected pod looks like
 * ({@link io.zonemesh.kube.inject.SidecarInjector}), {@code zonemesh kube-inject}'s YAML round
 * trip ({@link io.zonemesh.kube.inject.KubeInjector}) and the mutating admission webhook
 * ({@link io.zonemesh.kube.inject.AdmissionReviewHandler},
 * {@link io.zonemesh.kube.inject.InjectionWebhookServer}).
 */
package io.zonemesh.kube.inject;

package io.zonemesh.registry;

import io.zonemesh.common.Nullable;

/**
 * Workload identities as Istio writes them ({@code spiffe.MustGenSpiffeURI}): a pod is its
 * {@code spec.serviceAccountName}, which the API server sets to {@code default} when the manifest
 * leaves it out; a WorkloadEntry is its {@code serviceAccount}, or none.
 */
final class Identities {
    /** Istio's default {@code meshConfig.trustDomain}. */
    static final String TRUST_DOMAIN = "cluster.local";

    private Identities() {}

    static String ofPod(String namespace, @Nullable String serviceAccountName) {
        String sa = serviceAccountName == null || serviceAccountName.isEmpty() ? "default" : serviceAccountName;
        return spiffe(namespace, sa);
    }

    static String ofWorkloadEntry(String namespace, @Nullable String serviceAccount) {
        return serviceAccount == null || serviceAccount.isEmpty() ? "" : spiffe(namespace, serviceAccount);
    }

    private static String spiffe(String namespace, String serviceAccount) {
        return "spiffe://" + TRUST_DOMAIN + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}

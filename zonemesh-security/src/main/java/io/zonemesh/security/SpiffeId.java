package io.zonemesh.security;

import java.util.Objects;

/**
 * A workload identity in Istio's SPIFFE form {@code spiffe://<trust domain>/ns/<namespace>/sa/<service
 * account>} (Istio {@code pkg/spiffe/spiffe.go}): the URI SAN of every workload certificate.
 */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    /** Istio's default trust domain (MeshConfig {@code trustDomain}). */
    public static final String DEFAULT_TRUST_DOMAIN = "cluster.local";

    private static final String SCHEME = "spiffe://";

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        checkTrustDomain(trustDomain);
        checkSegment("namespace", namespace);
        checkSegment("serviceAccount", serviceAccount);
    }

    /** An identity in the default trust domain. */
    public static SpiffeId of(String namespace, String serviceAccount) {
        return new SpiffeId(DEFAULT_TRUST_DOMAIN, namespace, serviceAccount);
    }

    /**
     * Parses {@code spiffe://<td>/ns/<ns>/sa/<sa>}; like Istio's {@code ParseIdentity}, any other
     * path shape is refused.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static SpiffeId parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException(
                    "SPIFFE ID: " + uri + " (expected: spiffe://<trust domain>/ns/<namespace>/sa/<service account>)");
        }
        String[] parts = uri.substring(SCHEME.length()).split("/", -1);
        if (parts.length != 5 || !"ns".equals(parts[1]) || !"sa".equals(parts[3])) {
            throw new IllegalArgumentException(
                    "SPIFFE ID: " + uri + " (expected: spiffe://<trust domain>/ns/<namespace>/sa/<service account>)");
        }
        try {
            return new SpiffeId(parts[0], parts[2], parts[4]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SPIFFE ID " + uri + ": " + e.getMessage(), e);
        }
    }

    /** {@code spiffe://<td>/ns/<ns>/sa/<sa>}. */
    public String uri() {
        return SCHEME + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    @Override
    public String toString() {
        return uri();
    }

    // The SPIFFE spec's trust domain: lowercase letters, digits, '.', '-' and '_'.
    private static void checkTrustDomain(String td) {
        if (td.isEmpty()) {
            throw new IllegalArgumentException("trustDomain: \"\" (expected: non-empty)");
        }
        for (int i = 0; i < td.length(); i++) {
            char c = td.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException(
                        "trustDomain: " + td + " (expected: lowercase letters, digits, '.', '-', '_')");
            }
        }
    }

    private static void checkSegment(String field, String value) {
        if (value.isEmpty() || value.indexOf('/') >= 0 || ".".equals(value) || "..".equals(value)) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" (expected: a non-empty path segment)");
        }
    }
}

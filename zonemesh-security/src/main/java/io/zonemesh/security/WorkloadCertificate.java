package io.zonemesh.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A key with its certificate chain and the roots that verify peers: what SDS {@code default}
 * ({@code key}, {@code chain}) and {@code ROOTCA} ({@code roots}) carry in Istio.
 *
 * @param key the private key; it never leaves the process that made it
 * @param chain the leaf first, then its issuers up to (not including) the root
 * @param roots the trust bundle: the root(s) peers' chains must reach
 * @param spiffeId the leaf's SPIFFE URI SAN, or empty for a serving certificate with DNS/IP SANs only
 */
public record WorkloadCertificate(
        PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots, String spiffeId) {
    public WorkloadCertificate {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(spiffeId, "spiffeId");
        chain = List.copyOf(chain);
        roots = List.copyOf(roots);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: [] (expected: the leaf first)");
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("roots: [] (expected: at least one root certificate)");
        }
    }

    /** The workload's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** Start of the leaf's validity. */
    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    /** End of the leaf's validity. */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }
}

package io.zonemesh.proxy.identity;

import io.zonemesh.security.WorkloadCertificate;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What the proxy serves as SDS {@code default} (its key and certificate chain, leaf first, root
 * not included) and {@code ROOTCA} ({@code roots}, the mesh trust bundle).
 */
public record WorkloadSecret(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots) {

    public WorkloadSecret {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        roots = List.copyOf(roots);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: [] (expected: the leaf certificate first)");
        }
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("roots: [] (expected: at least one trusted root)");
        }
    }

    /** The SDS view of a certificate from the rotator: its chain without the root, its roots as ROOTCA. */
    public static WorkloadSecret from(WorkloadCertificate certificate) {
        return new WorkloadSecret(certificate.key(), certificate.chain(), certificate.roots());
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }
}

package io.zonemesh.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PKIX validation of a presented chain against a root bundle at a given time, without revocation and
 * without host names: what Envoy's default certificate validator does with a {@code ROOTCA} trust bundle.
 */
public final class Chains {
    private Chains() {}

    /**
     * Checks that {@code chain} (leaf first, then intermediates; a trailing root is allowed and
     * ignored) chains to one of {@code roots} and every certificate is valid at {@code at}.
     *
     * @throws CertificateException saying why not
     */
    public static void verify(List<X509Certificate> chain, Collection<X509Certificate> roots, Instant at)
            throws CertificateException {
        if (chain.isEmpty()) {
            throw new CertificateException("empty certificate chain (expected: the leaf first)");
        }
        if (roots.isEmpty()) {
            throw new CertificateException("no root certificates to verify against");
        }
        // A peer may send the root too; the path handed to PKIX must stop below the anchor.
        List<X509Certificate> path = new ArrayList<>(chain);
        while (path.size() > 1 && roots.contains(path.get(path.size() - 1))) {
            path.remove(path.size() - 1);
        }
        try {
            Set<TrustAnchor> anchors = new HashSet<>();
            for (X509Certificate root : roots) {
                anchors.add(new TrustAnchor(root, null));
            }
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            params.setDate(Date.from(at));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        } catch (GeneralSecurityException e) {
            String reason = e.getCause() != null && e.getCause().getMessage() != null
                    ? e.getMessage() + ": " + e.getCause().getMessage()
                    : e.getMessage();
            throw new CertificateException(
                    "certificate chain of " + describe(chain.get(0)) + " does not verify against the trusted roots: "
                            + reason,
                    e);
        }
    }

    static String describe(X509Certificate leaf) {
        return SpiffeIds.uriSan(leaf).orElseGet(() -> {
            String name = leaf.getSubjectX500Principal().getName();
            return name.isEmpty() ? "serial " + leaf.getSerialNumber().toString(16) : name;
        });
    }
}

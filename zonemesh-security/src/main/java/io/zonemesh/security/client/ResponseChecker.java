package io.zonemesh.security.client;

import io.zonemesh.security.Chains;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeIds;
import io.zonemesh.security.WorkloadCertificate;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@code CreateCertificate} answer before it is used, as istio-agent does: the leaf carries the
 * key this workload generated, the chain reaches the root bundle (the last element) and is valid now,
 * and the leaf has a SPIFFE identity.
 */
final class ResponseChecker {
    private ResponseChecker() {}

    /**
     * @throws IllegalArgumentException saying what is wrong with the response
     */
    static WorkloadCertificate check(KeyPair keys, List<String> response, Instant now) {
        if (response.size() < 2) {
            throw new IllegalArgumentException("CA response: " + response.size()
                    + " element(s) (expected: the leaf first and the root bundle last)");
        }
        List<X509Certificate> roots = parse(response.get(response.size() - 1), response.size() - 1);
        List<X509Certificate> chain = new ArrayList<>();
        for (int i = 0; i < response.size() - 1; i++) {
            for (X509Certificate c : parse(response.get(i), i)) {
                // A chain entry equal to a root (istiod repeats it when cert-chain.pem ends with the
                // root) is not sent to peers: they have the root already.
                if (chain.isEmpty() || !roots.contains(c)) {
                    chain.add(c);
                }
            }
        }
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().equals(keys.getPublic())) {
            throw new IllegalArgumentException(
                    "CA response: the leaf's public key is not the key of this CSR (expected: the key generated for it)");
        }
        try {
            Chains.verify(chain, roots, now);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("CA response: " + e.getMessage(), e);
        }
        String spiffeId = SpiffeIds.uriSan(leaf)
                .orElseThrow(() -> new IllegalArgumentException("CA response: the leaf has no spiffe:// URI SAN"));
        return new WorkloadCertificate(keys.getPrivate(), chain, roots, spiffeId);
    }

    private static List<X509Certificate> parse(String pem, int index) {
        try {
            return Pem.certificates(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CA response element " + index + ": " + e.getMessage(), e);
        }
    }
}

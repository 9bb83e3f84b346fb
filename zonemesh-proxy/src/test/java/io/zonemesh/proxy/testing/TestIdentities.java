package io.zonemesh.proxy.testing;

import io.zonemesh.common.Clock;
import io.zonemesh.proxy.identity.WorkloadSecret;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.CertificateAuthority;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A test CA (zonemesh-security's self-signed root) issuing workload certificates as istiod does. */
public final class TestIdentities {
    private final SecureRandom random = new SecureRandom();
    private final CertificateAuthority ca;

    public TestIdentities(String org) {
        ca = CertificateAuthority.selfSigned(org, Clock.system(), random);
    }

    /** The root every certificate of this CA chains to. */
    public List<X509Certificate> roots() {
        return ca.roots();
    }

    /** A new key and a certificate for {@code spiffe://cluster.local/ns/<ns>/sa/<sa>}. */
    public WorkloadSecret issue(String namespace, String serviceAccount) {
        return issue(namespace, serviceAccount, Duration.ofHours(1));
    }

    public WorkloadSecret issue(String namespace, String serviceAccount, Duration ttl) {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random);
        SpiffeId id = SpiffeId.of(namespace, serviceAccount);
        List<String> pems = ca.sign(Csrs.create(keys, id), id, ttl);
        List<X509Certificate> chain = new ArrayList<>();
        // The CA's answer ends with the root, which SDS default does not carry.
        for (String pem : pems.subList(0, pems.size() - 1)) {
            chain.addAll(Pem.certificates(pem));
        }
        return new WorkloadSecret(keys.getPrivate(), chain, ca.roots());
    }
}

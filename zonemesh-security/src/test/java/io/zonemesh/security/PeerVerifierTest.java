package io.zonemesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.ca.CertificateAuthority;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PeerVerifierTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CART = "spiffe://cluster.local/ns/shop/sa/cart";
    private static CertificateAuthority meshCa;
    private static CertificateAuthority otherCa;

    private final FakeClock clock = new FakeClock();

    @BeforeAll
    static void cas() {
        FakeClock clock = new FakeClock();
        meshCa = CertificateAuthority.selfSigned("cluster.local", clock, RANDOM);
        otherCa = CertificateAuthority.selfSigned("cluster.local", clock, RANDOM);
    }

    static List<X509Certificate> workload(CertificateAuthority ca, SpiffeId id, Duration ttl) {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        return List.of(
                Pem.certificates(ca.sign(Csrs.create(keys, id), id, ttl).get(0)).get(0));
    }

    @Test
    void acceptsAnAllowedIdentitySignedByTheRoots() throws Exception {
        List<X509Certificate> cart = workload(meshCa, SpiffeId.parse(CART), Duration.ofHours(1));
        new PeerVerifier(meshCa.roots(), Set.of(CART), clock).verify(cart, true);
        new PeerVerifier(meshCa.roots(), Set.of(CART), clock).verify(cart, false);
        new PeerVerifier(meshCa.roots(), Set.of(), clock).verify(cart, true); // empty set: any identity
    }

    @Test
    void refusesAPeerFromAnotherRoot() {
        List<X509Certificate> stranger = workload(otherCa, SpiffeId.parse(CART), Duration.ofHours(1));
        assertThatThrownBy(() -> new PeerVerifier(meshCa.roots(), Set.of(), clock).verify(stranger, false))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("certificate chain of " + CART + " does not verify against the trusted roots");
    }

    @Test
    void refusesAnIdentityOutsideTheAllowedSet() {
        List<X509Certificate> admin = workload(meshCa, SpiffeId.of("kube-system", "admin"), Duration.ofHours(1));
        assertThatThrownBy(() -> new PeerVerifier(meshCa.roots(), Set.of(CART), clock).verify(admin, true))
                .isInstanceOf(CertificateException.class)
                .hasMessage("peer identity spiffe://cluster.local/ns/kube-system/sa/admin (expected: one of [" + CART
                        + "])");
    }

    @Test
    void refusesAnExpiredCertificate() throws Exception {
        List<X509Certificate> cart = workload(meshCa, SpiffeId.parse(CART), Duration.ofHours(1));
        PeerVerifier verifier = new PeerVerifier(meshCa.roots(), Set.of(CART), clock);
        clock.advance(Duration.ofMinutes(59));
        verifier.verify(cart, true);
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> verifier.verify(cart, true))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void aTrailingRootInThePeersChainIsAccepted() throws Exception {
        List<X509Certificate> cart = workload(meshCa, SpiffeId.parse(CART), Duration.ofHours(1));
        new PeerVerifier(meshCa.roots(), Set.of(CART), clock)
                .verify(List.of(cart.get(0), meshCa.signingCertificate()), true);
    }

    @Test
    void mutualTlsHandshakeThroughJsseUsesTheVerifierBothWays() throws Exception {
        FakeClock now = new FakeClock();
        WorkloadCertificate client = InMemoryTls.workload(meshCa, SpiffeId.parse(CART));
        WorkloadCertificate server = InMemoryTls.workload(meshCa, SpiffeId.of("shop", "db"));
        WorkloadCertificate stranger = InMemoryTls.workload(otherCa, SpiffeId.parse(CART));

        InMemoryTls.handshake(
                client, new PeerVerifier(meshCa.roots(), Set.of("spiffe://cluster.local/ns/shop/sa/db"), now),
                server, new PeerVerifier(meshCa.roots(), Set.of(), now));
        assertThatThrownBy(() -> InMemoryTls.handshake(
                        stranger, new PeerVerifier(meshCa.roots(), Set.of(), now),
                        server, new PeerVerifier(meshCa.roots(), Set.of(), now)))
                .hasStackTraceContaining("does not verify against the trusted roots");
        assertThatThrownBy(() -> InMemoryTls.handshake(
                        client,
                                new PeerVerifier(
                                        meshCa.roots(), Set.of("spiffe://cluster.local/ns/shop/sa/other"), now),
                        server, new PeerVerifier(meshCa.roots(), Set.of(), now)))
                .hasStackTraceContaining("peer identity spiffe://cluster.local/ns/shop/sa/db");
        assertThat(SpiffeIds.uriSan(client.leaf())).contains(CART);
    }
}

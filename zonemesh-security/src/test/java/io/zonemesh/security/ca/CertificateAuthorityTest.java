package io.zonemesh.security.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.SpiffeIds;
import io.zonemesh.security.WorkloadCertificate;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FakeClock CLOCK = new FakeClock();
    private static CertificateAuthority ca;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.selfSigned("cluster.local", CLOCK, RANDOM);
    }

    private static Instant now() {
        return Instant.ofEpochMilli(CLOCK.currentTimeMillis());
    }

    @Test
    void selfSignedRootIsIstiodsRsa2048TenYearRoot() throws Exception {
        X509Certificate root = ca.signingCertificate();
        assertThat(ca.roots()).containsExactly(root);
        assertThat(ca.certChain()).isEmpty();
        assertThat(root.getSubjectX500Principal().getName()).isEqualTo("O=cluster.local");
        assertThat(root.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
        assertThat(((RSAPublicKey) root.getPublicKey()).getModulus().bitLength())
                .isEqualTo(2048);
        assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE); // CA:true, no path length
        assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(root.getCriticalExtensionOIDs())
                .contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(Duration.between(
                        root.getNotBefore().toInstant(), root.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650));
        root.verify(root.getPublicKey());
    }

    @Test
    void signsTheAuthenticatedIdentityNotTheOneTheCsrAsksFor() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        String csr = Csrs.create(keys, SpiffeId.of("kube-system", "admin"));

        List<String> response = ca.sign(csr, SpiffeId.of("shop", "cart"), Duration.ofHours(1));

        assertThat(response).hasSize(2); // leaf, root (no intermediates for a self-signed root)
        X509Certificate leaf = Pem.certificates(response.get(0)).get(0);
        assertThat(Pem.certificates(response.get(1))).containsExactly(ca.signingCertificate());
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(SpiffeIds.uriSan(leaf)).contains("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(leaf.getSubjectAlternativeNames()).hasSize(1);
        leaf.verify(ca.signingCertificate().getPublicKey());
    }

    @Test
    void leafHasIstioWorkloadExtensions() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        X509Certificate leaf = Pem.certificates(
                        ca.sign(Csrs.create(keys, SpiffeId.of("a", "b")), SpiffeId.of("a", "b"), Duration.ofHours(1))
                                .get(0))
                .get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getIssuerX500Principal())
                .isEqualTo(ca.signingCertificate().getSubjectX500Principal());
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        boolean[] usage = leaf.getKeyUsage();
        assertThat(usage[0]).as("digitalSignature").isTrue();
        assertThat(usage[2]).as("keyEncipherment").isTrue();
        assertThat(usage[5]).as("keyCertSign").isFalse();
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(leaf.getCriticalExtensionOIDs())
                .contains(
                        Extension.subjectAlternativeName.getId(),
                        Extension.basicConstraints.getId(),
                        Extension.keyUsage.getId());
        assertThat(leaf.getSerialNumber().signum()).isPositive();
    }

    @Test
    void validFromTwoMinutesAgoForTheRequestedTtl() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        String csr = Csrs.create(keys, SpiffeId.of("a", "b"));
        X509Certificate leaf = Pem.certificates(
                        ca.sign(csr, SpiffeId.of("a", "b"), Duration.ofHours(3)).get(0))
                .get(0);
        Instant now = Instant.ofEpochSecond(now().getEpochSecond()); // certificates keep whole seconds
        assertThat(leaf.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(2)));
        assertThat(leaf.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofHours(3)));
    }

    @Test
    void zeroTtlMeans24HoursAndMoreThan90DaysIsRefused() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        String csr = Csrs.create(keys, SpiffeId.of("a", "b"));
        X509Certificate leaf = Pem.certificates(
                        ca.sign(csr, SpiffeId.of("a", "b"), Duration.ZERO).get(0))
                .get(0);
        assertThat(leaf.getNotAfter().toInstant())
                .isEqualTo(Instant.ofEpochSecond(now().getEpochSecond()).plus(Duration.ofHours(24)));

        assertThat(ca.sign(csr, SpiffeId.of("a", "b"), Duration.ofDays(90))).hasSize(2);
        assertThatThrownBy(() ->
                        ca.sign(csr, SpiffeId.of("a", "b"), Duration.ofDays(90).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is greater than the max allowed TTL PT2160H");
    }

    @Test
    void refusesABadCsr() {
        assertThatThrownBy(() -> ca.sign("garbage", SpiffeId.of("a", "b"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("csr: ");
    }

    @Test
    void servingCertificateHasDnsAndIpSansAndChainsToTheRoot() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        WorkloadCertificate serving = ca.issueServing(
                keys, List.of("istiod.istio-system.svc", "localhost"), List.of("127.0.0.1"), Duration.ofDays(365));
        X509Certificate leaf = serving.leaf();
        assertThat(serving.key()).isEqualTo(keys.getPrivate());
        assertThat(serving.chain()).containsExactly(leaf);
        assertThat(serving.roots()).isEqualTo(ca.roots());
        assertThat(leaf.getSubjectAlternativeNames())
                .containsExactly(
                        List.of(2, "istiod.istio-system.svc"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(Duration.between(serving.notBefore(), serving.notAfter()))
                .isEqualTo(Duration.ofDays(365).plusMinutes(2));
        leaf.verify(ca.signingCertificate().getPublicKey());
        assertThatThrownBy(() -> ca.issueServing(keys, List.of(), List.of("not-an-ip"), Duration.ofDays(1)))
                .hasMessageContaining("ipAddresses: not-an-ip");
    }

    @Test
    void filesRoundTripThroughFromFiles() {
        CertificateAuthority reloaded = CertificateAuthority.fromFiles(ca.files(), "istio-ca-secret", CLOCK, RANDOM);
        assertThat(reloaded.signingCertificate()).isEqualTo(ca.signingCertificate());
        assertThat(reloaded.roots()).isEqualTo(ca.roots());
        assertThat(reloaded.certChain()).isEmpty();
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        assertThat(reloaded.sign(Csrs.create(keys, SpiffeId.of("a", "b")), SpiffeId.of("a", "b"), Duration.ZERO))
                .hasSize(2);
    }
}

package io.zonemesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.FakeClock;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

class PemTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void certificatesRoundTripInOrder() {
        CertificateAuthority ca = CertificateAuthority.selfSigned("cluster.local", new FakeClock(), RANDOM);
        X509Certificate root = ca.signingCertificate();
        X509Certificate serving = ca.issueServing(
                        KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM),
                        List.of("localhost"),
                        List.of(),
                        java.time.Duration.ofHours(1))
                .leaf();
        String pem = Pem.encode(serving, root);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Pem.certificates(pem)).containsExactly(serving, root);
        assertThat(Pem.encode(List.of(root))).isEqualTo(Pem.encode(root));
    }

    @Test
    void readsPkcs8Pkcs1AndSec1Keys() throws Exception {
        KeyPair ec = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        KeyPair rsa = KeyPairs.generate(KeyAlgorithm.RSA_2048, RANDOM);
        assertThat(Pem.encode(ec.getPrivate())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Pem.privateKey(Pem.encode(ec.getPrivate())).getEncoded())
                .isEqualTo(ec.getPrivate().getEncoded());
        assertThat(Pem.privateKey(Pem.encode(rsa.getPrivate())).getEncoded())
                .isEqualTo(rsa.getPrivate().getEncoded());

        String pkcs1 = traditional(rsa.getPrivate());
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Signatures.matches(Pem.privateKey(pkcs1), rsa.getPublic())).isTrue();
        String sec1 = sec1(ec.getPrivate());
        assertThat(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Signatures.matches(Pem.privateKey(sec1), ec.getPublic())).isTrue();
    }

    @Test
    void errorsSayWhatWasExpected() throws Exception {
        assertThatThrownBy(() -> Pem.certificates("")).hasMessageContaining("expected: at least one CERTIFICATE block");
        KeyPair ec = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        assertThatThrownBy(() -> Pem.certificates(Pem.encode(ec.getPrivate())))
                .hasMessageContaining("PEM block 1")
                .hasMessageContaining("expected: CERTIFICATE");
        assertThatThrownBy(() -> Pem.privateKey("no pem here"))
                .hasMessageContaining("expected: PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY");

        StringWriter encrypted = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(encrypted)) {
            w.writeObject(new JcaPKCS8Generator(
                    ec.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                            .setPassword("secret".toCharArray())
                            .setRandom(RANDOM)
                            .build()));
        }
        assertThatThrownBy(() -> Pem.privateKey(encrypted.toString())).hasMessageContaining("encrypted private key");
    }

    // openssl's SEC1 form, with the curve inside the key structure (BouncyCastle's writer leaves it out
    // for JDK keys, which carry it in the PKCS#8 algorithm identifier instead).
    private static String sec1(PrivateKey key) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey withCurve = new ECPrivateKey(
                256, inner.getKey(), info.getPrivateKeyAlgorithm().getParameters());
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new PemObject("EC PRIVATE KEY", withCurve.getEncoded()));
        }
        return out.toString();
    }

    private static String traditional(PrivateKey key) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(key); // BouncyCastle writes PKCS#1 for RSA keys
        }
        return out.toString();
    }
}

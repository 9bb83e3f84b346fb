package io.zonemesh.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.security.KeyPair;
import java.security.SecureRandom;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;

class CsrsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void csrCarriesTheKeyAndTheRequestedSpiffeId() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        String pem = Csrs.create(keys, SpiffeId.of("shop", "cart"));
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE REQUEST-----");

        PKCS10CertificationRequest csr = Csrs.parse(pem);
        assertThat(Csrs.publicKey(csr)).isEqualTo(keys.getPublic());
        assertThat(csr.getSubject().getRDNs()).isEmpty();
        Extensions ext = Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues()
                .getObjectAt(0));
        Extension san = ext.getExtension(Extension.subjectAlternativeName);
        assertThat(san.isCritical()).isTrue();
        GeneralName name = GeneralNames.getInstance(san.getParsedValue()).getNames()[0];
        assertThat(name.getTagNo()).isEqualTo(GeneralName.uniformResourceIdentifier);
        assertThat(name.getName().toString()).isEqualTo("spiffe://cluster.local/ns/shop/sa/cart");
    }

    @Test
    void rsaCsrParses() {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.RSA_2048, RANDOM);
        assertThat(Csrs.publicKey(Csrs.parse(Csrs.create(keys, SpiffeId.of("a", "b")))))
                .isEqualTo(keys.getPublic());
    }

    @Test
    void refusesACsrWhoseSignatureDoesNotVerify() throws Exception {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        byte[] der = Csrs.parse(Csrs.create(keys, SpiffeId.of("a", "b"))).getEncoded();
        der[der.length - 5] ^= 0x01; // inside the signature value
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new PemObject("CERTIFICATE REQUEST", der));
        }
        String tampered = out.toString();
        assertThatThrownBy(() -> Csrs.parse(tampered))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("csr: ");
    }

    @Test
    void refusesWhatIsNotACsr() {
        assertThatThrownBy(() -> Csrs.parse(""))
                .hasMessageContaining("csr: no PEM block (expected: a PEM CERTIFICATE REQUEST)");
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        assertThatThrownBy(() -> Csrs.parse(Pem.encode(keys.getPrivate())))
                .hasMessageContaining("expected: a PEM CERTIFICATE REQUEST");
    }
}

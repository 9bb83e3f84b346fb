package io.zonemesh.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * PKCS#10 requests as istio-agent sends them: an empty subject and the requested SPIFFE ID as a
 * critical URI SAN in the extension request (Istio {@code pkiutil.GenCSR}). The CA never trusts that
 * SAN: it signs the identity it authenticated, and takes only the public key, after checking the
 * request's signature (proof of possession of the private key).
 */
public final class Csrs {
    private Csrs() {}

    /** A PEM {@code CERTIFICATE REQUEST} for {@code keys}, asking for {@code requested}. */
    public static String create(KeyPair keys, SpiffeId requested) {
        return create(keys, requested, new SecureRandom());
    }

    /** As {@link #create(KeyPair, SpiffeId)}, signing with {@code random} (ECDSA needs randomness). */
    public static String create(KeyPair keys, SpiffeId requested, SecureRandom random) {
        Objects.requireNonNull(requested, "requested");
        try {
            GeneralNames san =
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, requested.uri()));
            Extensions extensions = new Extensions(Extension.create(Extension.subjectAlternativeName, true, san));
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                            new X500Name(new RDN[0]), keys.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions)
                    .build(Signatures.signer(keys.getPrivate(), random));
            return encode(csr);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // encoding into memory does not fail
        }
    }

    private static String encode(PKCS10CertificationRequest csr) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(csr);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // encoding into memory does not fail
        }
        return out.toString();
    }

    /**
     * A PEM {@code CERTIFICATE REQUEST} for {@code keys} naming no identity: for a workload that does not
     * know its own (the CA fills in the one it authenticates).
     */
    public static String create(KeyPair keys, SecureRandom random) {
        return encode(new JcaPKCS10CertificationRequestBuilder(new X500Name(new RDN[0]), keys.getPublic())
                .build(Signatures.signer(keys.getPrivate(), random)));
    }

    /**
     * Parses a PEM {@code CERTIFICATE REQUEST} and checks its signature against the key it carries.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static PKCS10CertificationRequest parse(String pem) {
        Objects.requireNonNull(pem, "pem");
        Object o;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            o = parser.readObject();
        } catch (IOException e) {
            throw new IllegalArgumentException("csr: " + e.getMessage() + " (expected: a PEM CERTIFICATE REQUEST)", e);
        }
        if (!(o instanceof PKCS10CertificationRequest csr)) {
            throw new IllegalArgumentException("csr: "
                    + (o == null ? "no PEM block" : o.getClass().getSimpleName())
                    + " (expected: a PEM CERTIFICATE REQUEST)");
        }
        // Converted to a JDK key first: the JDK's key factories are registered by name, not by OID.
        PublicKey key = publicKey(csr); // also refuses key types and sizes the CA will not sign
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new IllegalArgumentException(
                        "csr: signature does not verify (expected: signed by the private key of the public key it carries)");
            }
        } catch (OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("csr: cannot verify its signature: " + e.getMessage(), e);
        }
        return csr;
    }

    /**
     * The request's public key as a JDK key.
     *
     * @throws IllegalArgumentException for keys other than RSA (2048 bits or more) and EC
     */
    public static PublicKey publicKey(PKCS10CertificationRequest csr) {
        PublicKey key;
        try {
            key = new JcaPKCS10CertificationRequest(csr).getPublicKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("csr: unsupported public key: " + e.getMessage(), e);
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
            // Istio's pkiutil.MinimumRsaKeySize.
            throw new IllegalArgumentException(
                    "csr: RSA key of " + rsa.getModulus().bitLength() + " bits (expected: >= 2048)");
        }
        if (!"RSA".equals(key.getAlgorithm()) && !"EC".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("csr: " + key.getAlgorithm() + " key (expected: RSA or EC)");
        }
        return key;
    }
}

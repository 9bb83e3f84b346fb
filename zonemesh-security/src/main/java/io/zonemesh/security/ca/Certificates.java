package io.zonemesh.security.ca;

import io.zonemesh.common.Nullable;
import io.zonemesh.security.Signatures;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * Builds the certificates zonemesh issues, with the extensions Istio's do (the reasons are in
 * docs/IDENTITY.md "CA and certificates"). Package-private: callers go through
 * {@link CertificateAuthority} and {@link CaFiles}.
 */
final class Certificates {
    /** Istio {@code pkiutil.ClockSkewGracePeriod}: a leaf is valid from 2 minutes before it was signed. */
    static final Duration CLOCK_SKEW_GRACE = Duration.ofMinutes(2);

    private Certificates() {}

    /** An X.500 name with no attributes: Istio's workload certificates identify by the URI SAN only. */
    static X500Name emptyName() {
        return new X500Name(new RDN[0]);
    }

    /**
     * A workload (or serving) leaf as Istio's {@code genCertTemplateFromCSR}: empty subject, SANs
     * critical (RFC 5280 4.2.1.6 for an empty subject), keyUsage digitalSignature|keyEncipherment,
     * extendedKeyUsage serverAuth+clientAuth, basicConstraints CA:false.
     */
    static X509Certificate leaf(
            X509Certificate issuer,
            PrivateKey issuerKey,
            PublicKey subjectKey,
            GeneralNames sans,
            Instant notBefore,
            Instant notAfter,
            SecureRandom random) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuer, serial(random), Date.from(notBefore), Date.from(notAfter), emptyName(), subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(issuer));
            b.addExtension(Extension.subjectAlternativeName, true, sans);
            return sign(b, issuerKey, random);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode a certificate extension", e);
        }
    }

    /**
     * A CA certificate: basicConstraints critical CA:true (with {@code pathLen} when not null),
     * keyUsage critical as given, subjectKeyIdentifier, authorityKeyIdentifier when issued by another
     * CA, and {@code sans} when not empty.
     */
    static X509Certificate ca(
            X500Name subject,
            PublicKey subjectKey,
            @Nullable X509Certificate issuer,
            PrivateKey issuerKey,
            @Nullable Integer pathLen,
            int keyUsage,
            List<String> dnsSans,
            Instant notBefore,
            Instant notAfter,
            SecureRandom random) {
        try {
            X500Name issuerName = issuer == null
                    ? subject
                    : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    issuerName, serial(random), Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
            b.addExtension(
                    Extension.basicConstraints,
                    true,
                    pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            if (issuer != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(issuer));
            }
            if (!dnsSans.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false, GeneralNamesBuilder.dns(dnsSans));
            }
            return sign(b, issuerKey, random);
        } catch (CertIOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a CA certificate: " + e.getMessage(), e);
        }
    }

    // Go's x509 (which Istio uses) sets the AKI to the issuer's SKI; a CA without one gets the RFC 5280
    // method-1 hash of its key, which is what a SKI would hold.
    private static AuthorityKeyIdentifier authorityKeyId(X509Certificate issuer) {
        byte[] ski = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        try {
            if (ski != null) {
                byte[] keyId = SubjectKeyIdentifier.getInstance(
                                ASN1OctetString.getInstance(ski).getOctets())
                        .getKeyIdentifier();
                return new AuthorityKeyIdentifier(keyId);
            }
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.getPublicKey());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the issuer's key identifier: " + e.getMessage(), e);
        }
    }

    /** Istio {@code genSerialNum}: a random serial below 2^128, never zero. */
    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(128, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key, SecureRandom random) {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(Signatures.signer(key, random)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot convert the signed certificate: " + e.getMessage(), e);
        }
    }
}

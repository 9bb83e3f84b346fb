package io.zonemesh.security;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * PEM in and out through BouncyCastle's {@link PEMParser} and {@link JcaPEMWriter}. Parsed keys and
 * certificates are JDK types (the JDK's key factories and certificate factory do the conversion), so
 * the JDK TLS engine takes them as they are. Errors are {@link IllegalArgumentException}s saying
 * what was expected.
 */
public final class Pem {
    private Pem() {}

    /**
     * Every {@code CERTIFICATE} block of {@code pem}, in order.
     *
     * @throws IllegalArgumentException when there is none, or a block is not a certificate
     */
    public static List<X509Certificate> certificates(String pem) {
        Objects.requireNonNull(pem, "pem");
        List<X509Certificate> out = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (!(o instanceof X509CertificateHolder holder)) {
                    throw new IllegalArgumentException(
                            "PEM block " + (out.size() + 1) + ": " + describe(o) + " (expected: CERTIFICATE)");
                }
                out.add(converter.getCertificate(holder));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("PEM: " + e.getMessage() + " (expected: CERTIFICATE blocks)", e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException(
                    "PEM block " + (out.size() + 1) + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("PEM: no certificate (expected: at least one CERTIFICATE block)");
        }
        return List.copyOf(out);
    }

    /**
     * The private key of {@code pem}: {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1) or
     * {@code EC PRIVATE KEY} (SEC1, optionally after an {@code EC PARAMETERS} block as openssl writes it).
     *
     * @throws IllegalArgumentException for anything else, including encrypted keys
     */
    public static PrivateKey privateKey(String pem) {
        Objects.requireNonNull(pem, "pem");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    // The public half is optional in SEC1; the private key info alone is enough.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IllegalArgumentException(
                            "PEM: encrypted private key (expected: an unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
                }
                // openssl ecparam -genkey writes the curve before the key.
                if (!(o instanceof ASN1ObjectIdentifier) && !(o instanceof X9ECParameters)) {
                    throw new IllegalArgumentException(
                            "PEM: " + describe(o) + " (expected: PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
                }
            }
        } catch (PEMException e) {
            throw new IllegalArgumentException("PEM: not a usable private key: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "PEM: " + e.getMessage() + " (expected: PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", e);
        }
        throw new IllegalArgumentException(
                "PEM: no private key (expected: PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks. */
    public static String encode(X509Certificate... certificates) {
        return encode(Arrays.asList(certificates));
    }

    /** The certificates as consecutive {@code CERTIFICATE} blocks, in list order. */
    public static String encode(List<X509Certificate> certificates) {
        return write(certificates);
    }

    /** The key as a PKCS#8 {@code PRIVATE KEY} block. */
    public static String encode(PrivateKey key) {
        try {
            return write(List.of(new JcaPKCS8Generator(key, null).generate()));
        } catch (PemGenerationException e) {
            throw new IllegalArgumentException("key: cannot encode a " + key.getAlgorithm() + " key as PKCS#8", e);
        }
    }

    private static String write(List<?> objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static String describe(Object o) {
        return o.getClass().getSimpleName();
    }
}

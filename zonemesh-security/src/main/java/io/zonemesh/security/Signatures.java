package io.zonemesh.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The signature algorithm a key signs with, as Go's x509 picks it for Istio: SHA-256 with RSA,
 * ECDSA with SHA-256 on P-256 and SHA-384 on P-384. JDK providers only: no global BouncyCastle
 * provider is needed for any of this.
 */
public final class Signatures {
    private Signatures() {}

    /** The JCA signature algorithm name for certificates and CSRs signed by {@code key}. */
    public static String algorithmFor(Key key) {
        if (key instanceof RSAKey) {
            return "SHA256withRSA";
        }
        if (key instanceof ECKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        throw new IllegalArgumentException("key: " + key.getAlgorithm() + " (expected: an RSA or EC key)");
    }

    /** A BouncyCastle content signer over {@code key}, for certificate and CSR builders. */
    public static ContentSigner signer(PrivateKey key, SecureRandom random) {
        try {
            return new JcaContentSignerBuilder(algorithmFor(key))
                    .setSecureRandom(random)
                    .build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code key} is the private half of {@code publicKey}: signs a probe and verifies it, which
     * works for every key type without comparing key internals.
     */
    public static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        try {
            byte[] probe = "zonemesh key match probe".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithmFor(key));
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithmFor(key));
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}

package io.zonemesh.security;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Objects;

/** Key pairs from the JDK's providers (keys stay JDK types, which the JDK TLS engine and Netty accept). */
public final class KeyPairs {
    private KeyPairs() {}

    /** A new key pair of the given algorithm, drawn from {@code random}. */
    public static KeyPair generate(KeyAlgorithm algorithm, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        try {
            switch (algorithm) {
                case ECDSA_P256: {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), random);
                    return g.generateKeyPair();
                }
                case RSA_2048:
                    return rsa(2048, random);
                default:
                    throw new IllegalArgumentException("keyAlgorithm: " + algorithm);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + algorithm + " key pair: " + e.getMessage(), e);
        }
    }

    /** An RSA key pair of {@code bits} bits (CA keys: 2048 self-signed as istiod, 4096 as Istio's tools/certs). */
    public static KeyPair rsa(int bits, SecureRandom random) {
        if (bits < 2048) {
            throw new IllegalArgumentException("bits: " + bits + " (expected: >= 2048)");
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits, random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA " + bits + " key pair: " + e.getMessage(), e);
        }
    }
}

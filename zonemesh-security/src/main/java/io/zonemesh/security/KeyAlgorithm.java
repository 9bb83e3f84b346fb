package io.zonemesh.security;

/**
 * The workload key types istio-agent makes: ECDSA P-256 ({@code ECC_SIGNATURE_ALGORITHM=ECDSA}) or RSA
 * 2048 ({@code WORKLOAD_RSA_KEY_SIZE}, Istio's default; zonemesh defaults to ECDSA, cheaper to sign
 * and to handshake).
 */
public enum KeyAlgorithm {
    ECDSA_P256,
    RSA_2048
}

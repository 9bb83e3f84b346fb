package io.zonemesh.controlplane.ca;

import io.zonemesh.common.Nullable;
import io.zonemesh.security.WorkloadCertificate;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key manager whose one key and chain can be replaced while the TLS server runs: every
 * handshake asks for the alias and reads the certificate of that moment. The chain sent is the
 * leaf and the intermediates ({@link WorkloadCertificate#chain()}), not the root, as TLS servers
 * do.
 */
public final class SwappableKeyManager extends X509ExtendedKeyManager {
    static final String ALIAS = "serving";

    private volatile @Nullable WorkloadCertificate current;

    void swap(WorkloadCertificate next) {
        this.current = next;
    }

    @Nullable
    WorkloadCertificate current() {
        return current;
    }

    @Override
    public @Nullable String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        WorkloadCertificate c = current;
        return c != null && matches(keyType, c.key().getAlgorithm()) ? ALIAS : null;
    }

    /**
     * Whether a key of {@code algorithm} ("EC", "RSA") serves the key type the TLS engine asks
     * for: the JDK asks "EC", "RSA" or "RSASSA-PSS" (TLS 1.3), OpenSSL-style engines also the
     * TLS 1.2 names "EC_EC", "ECDHE_ECDSA", "ECDHE_RSA", "DHE_RSA".
     */
    static boolean matches(String keyType, String algorithm) {
        String type = keyType.toUpperCase(Locale.ROOT);
        if (algorithm.equals("EC")) {
            return type.equals("EC") || type.endsWith("_EC") || type.endsWith("ECDSA");
        }
        if (algorithm.equals("RSA")) {
            return type.equals("RSA") || type.equals("RSASSA-PSS") || type.endsWith("_RSA");
        }
        return type.equals(algorithm);
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
        String alias = chooseServerAlias(keyType, issuers, null);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
        WorkloadCertificate c = current;
        return c != null && ALIAS.equals(alias) ? c.chain().toArray(new X509Certificate[0]) : null;
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
        WorkloadCertificate c = current;
        return c != null && ALIAS.equals(alias) ? c.key() : null;
    }

    /** A server never presents a client certificate. */
    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
        return null;
    }

    @Override
    public @Nullable String chooseClientAlias(
            String[] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
        return null;
    }
}

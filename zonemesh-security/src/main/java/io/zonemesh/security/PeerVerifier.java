package io.zonemesh.security;

import io.zonemesh.common.Clock;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies a TLS peer as Envoy does with Istio's validation context: the chain must reach one of the
 * {@code ROOTCA} roots (PKIX, no revocation, no host name check) and, when {@code allowedSpiffeIds} is
 * not empty, one of the leaf's URI SANs must equal one of them ({@code match_subject_alt_names} exact
 * matchers). The leaf's extended key usage, when present, must allow the peer's role (serverAuth for
 * a server, clientAuth for a client), as BoringSSL checks. Immutable and thread-safe.
 */
public final class PeerVerifier {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int URI = 6;

    private final List<X509Certificate> roots;
    private final Set<String> allowedSpiffeIds;
    private final Clock clock;

    /**
     * @param roots the trust bundle
     * @param allowedSpiffeIds accepted peer identities; empty accepts any identity the roots signed
     * @param clock the time certificates must be valid at
     */
    public PeerVerifier(Collection<X509Certificate> roots, Set<String> allowedSpiffeIds, Clock clock) {
        this.roots = List.copyOf(roots);
        this.allowedSpiffeIds = Set.copyOf(allowedSpiffeIds);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (this.roots.isEmpty()) {
            throw new IllegalArgumentException("roots: [] (expected: at least one root certificate)");
        }
    }

    /** A trust manager over {@code roots} and {@code allowedSpiffeIds} on the system clock. */
    public static X509ExtendedTrustManager trustManager(
            Collection<X509Certificate> roots, Set<String> allowedSpiffeIds) {
        return new PeerVerifier(roots, allowedSpiffeIds, Clock.system()).trustManager();
    }

    /**
     * Checks a peer's chain.
     *
     * @param peerIsServer true when verifying the server's certificate (client side of the handshake)
     * @throws CertificateException saying why the peer is refused
     */
    public void verify(List<X509Certificate> chain, boolean peerIsServer) throws CertificateException {
        Chains.verify(chain, roots, Instant.ofEpochMilli(clock.currentTimeMillis()));
        X509Certificate leaf = chain.get(0);
        List<String> eku = leaf.getExtendedKeyUsage();
        String needed = peerIsServer ? SERVER_AUTH : CLIENT_AUTH;
        if (eku != null && !eku.contains(needed)) {
            throw new CertificateException("peer " + Chains.describe(leaf) + ": extended key usage " + eku
                    + " (expected: " + (peerIsServer ? "serverAuth" : "clientAuth") + ")");
        }
        if (allowedSpiffeIds.isEmpty()) {
            return;
        }
        List<String> uris = uriSans(leaf);
        for (String uri : uris) {
            if (allowedSpiffeIds.contains(uri)) {
                return;
            }
        }
        throw new CertificateException("peer identity " + (uris.isEmpty() ? "(no URI SAN)" : String.join(", ", uris))
                + " (expected: one of " + new TreeSet<>(allowedSpiffeIds) + ")");
    }

    /** This verifier as a JSSE trust manager for either side of a handshake. */
    public X509ExtendedTrustManager trustManager() {
        return new TrustManager();
    }

    private static List<String> uriSans(X509Certificate leaf) throws CertificateParsingException {
        List<String> out = new ArrayList<>();
        Collection<List<?>> names = leaf.getSubjectAlternativeNames();
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() >= 2
                        && name.get(0) instanceof Integer t
                        && t == URI
                        && name.get(1) instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    // Extended so that JSSE does not wrap it with a host-name check: peers are identified by SPIFFE ID.
    private final class TrustManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verify(Arrays.asList(chain), false);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            verify(Arrays.asList(chain), true);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verify(Arrays.asList(chain), false);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            verify(Arrays.asList(chain), true);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verify(Arrays.asList(chain), false);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            verify(Arrays.asList(chain), true);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return roots.toArray(new X509Certificate[0]);
        }
    }
}

package io.zonemesh.proxy.http;

import io.netty.handler.ssl.SslHandler;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.UpstreamTls;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Envoy's {@code match_typed_subject_alt_names}: after the handshake, the server's leaf
 * certificate must carry one SAN equal to one matcher (same type, exact value; IP addresses
 * compared as addresses). No matchers accepts any certificate the trust manager accepted.
 */
final class SanVerifier {
    private SanVerifier() {}

    /** Null when the certificate is acceptable, else the reason. */
    static @Nullable Throwable verify(SslHandler ssl, List<UpstreamTls.SanMatcher> matchers) {
        if (matchers.isEmpty()) {
            return null;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return new SSLException("no X.509 server certificate");
            }
            Collection<List<?>> names = leaf.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    for (UpstreamTls.SanMatcher matcher : matchers) {
                        if (name.size() >= 2
                                && name.get(0) instanceof Integer tag
                                && tag == matcher.type().generalNameTag()
                                && matches(matcher, String.valueOf(name.get(1)))) {
                            return null;
                        }
                    }
                }
            }
            return new SanMismatchException("server certificate has none of the subject alternative names " + matchers);
        } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
            return e;
        }
    }

    /** The certificate verified but carries none of the required SANs (Envoy: "verify cert failed: SAN matcher"). */
    static final class SanMismatchException extends SSLException {
        private static final long serialVersionUID = 1L;

        SanMismatchException(String message) {
            super(message);
        }
    }

    private static boolean matches(UpstreamTls.SanMatcher matcher, String value) {
        if (matcher.type() != UpstreamTls.SanType.IP_ADDRESS) {
            return matcher.value().equals(value);
        }
        byte[] expected = io.netty.util.NetUtil.createByteArrayFromIpAddressString(matcher.value());
        byte[] actual = io.netty.util.NetUtil.createByteArrayFromIpAddressString(value);
        return expected != null && actual != null && java.util.Arrays.equals(expected, actual);
    }
}

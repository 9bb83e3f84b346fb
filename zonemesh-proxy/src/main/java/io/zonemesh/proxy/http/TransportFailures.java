package io.zonemesh.proxy.http;

import io.zonemesh.common.Nullable;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Envoy's {@code %UPSTREAM_TRANSPORT_FAILURE_REASON%} for a failed TLS connect, as it appears in
 * the 503 body ("..., transport failure reason: TLS_error:|...:TLS_error_end"). A certificate
 * Envoy's validator rejects (untrusted chain, no matching SAN) reads as BoringSSL's
 * {@code CERTIFICATE_VERIFY_FAILED}; the JDK engine has no BoringSSL codes for other handshake
 * failures, so those carry the JDK's message between the same markers.
 */
final class TransportFailures {
    static final String CERTIFICATE_VERIFY_FAILED =
            "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end";

    private TransportFailures() {}

    /** The reason for {@code cause}, null when the failure was not in TLS. */
    static @Nullable String reason(@Nullable Throwable cause) {
        if (!(cause instanceof SSLException)) {
            return null;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof SanVerifier.SanMismatchException) {
                return CERTIFICATE_VERIFY_FAILED;
            }
        }
        return "TLS_error:|" + cause.getMessage() + ":TLS_error_end";
    }
}

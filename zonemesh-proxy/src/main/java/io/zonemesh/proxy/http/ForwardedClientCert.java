package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.ForwardClientCert;
import java.util.ArrayList;
import java.util.List;

/**
 * Envoy's {@code ConnectionManagerUtility::mutateXfccRequestHeader}: the
 * {@code x-forwarded-client-cert} header by the HCM's {@code forward_client_cert_details}. On a
 * mutual-TLS connection APPEND_FORWARD appends
 * {@code By=<local URI SAN>;Hash=<peer digest>;Subject="<subject>";URI=<peer URI SAN>;DNS=<dns>}
 * (each URI or DNS SAN its own element, details in Envoy's order subject, URI, DNS) to what the
 * client sent, with a comma; without one, every mode but ALWAYS_FORWARD_ONLY removes the header.
 */
final class ForwardedClientCert {
    static final String HEADER = "x-forwarded-client-cert";

    private ForwardedClientCert() {}

    static void mutate(ForwardClientCert config, HttpHeaders headers, @Nullable TlsConnectionInfo tls) {
        ForwardClientCert.Mode mode = config.mode();
        if (mode == ForwardClientCert.Mode.ALWAYS_FORWARD_ONLY) {
            return;
        }
        if (mode == ForwardClientCert.Mode.SANITIZE || tls == null || !tls.peerCertificatePresented()) {
            headers.remove(HEADER);
            return;
        }
        if (mode == ForwardClientCert.Mode.FORWARD_ONLY) {
            return;
        }
        List<String> details = new ArrayList<>();
        for (String uri : tls.localUriSans()) {
            details.add("By=" + uri);
        }
        if (!tls.peerDigest().isEmpty()) {
            details.add("Hash=" + tls.peerDigest());
        }
        if (config.subject()) {
            // The key is there even when the subject is empty (Istio's certificates have none).
            details.add("Subject=\"" + tls.peerSubject() + "\"");
        }
        if (config.uri()) {
            if (tls.peerUriSans().isEmpty()) {
                details.add("URI=");
            }
            for (String uri : tls.peerUriSans()) {
                details.add("URI=" + uri);
            }
        }
        if (config.dns()) {
            for (String dns : tls.peerDnsSans()) {
                details.add("DNS=" + dns);
            }
        }
        String value = String.join(";", details);
        if (mode == ForwardClientCert.Mode.APPEND_FORWARD) {
            List<String> existing = headers.getAll(HEADER);
            if (!existing.isEmpty()) {
                value = String.join(",", existing) + "," + value;
            }
        }
        headers.set(HEADER, value);
    }
}

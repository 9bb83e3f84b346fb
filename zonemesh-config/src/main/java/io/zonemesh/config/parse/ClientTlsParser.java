package io.zonemesh.config.parse;

import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettings;
import io.fabric8.istio.api.api.networking.v1alpha3.ClientTLSSettingsTLSmode;
import io.zonemesh.config.decode.FieldPath;
import io.zonemesh.model.istio.ClientTls;

/** {@code trafficPolicy.tls}, validated as Istio's {@code ValidateTLS}. */
final class ClientTlsParser {
    private ClientTlsParser() {}

    static ClientTls parse(ClientTLSSettings in, FieldPath path, ParseContext ctx) {
        ClientTLSSettingsTLSmode m = in.getMode();
        ClientTls.Mode mode = m == null ? ClientTls.Mode.DISABLE : ClientTls.Mode.valueOf(m.name());
        boolean fileCerts = notEmpty(in.getClientCertificate())
                || notEmpty(in.getCaCertificates())
                || notEmpty(in.getPrivateKey())
                || notEmpty(in.getCaCrl());
        boolean simpleOrMutual = mode == ClientTls.Mode.SIMPLE || mode == ClientTls.Mode.MUTUAL;
        if (simpleOrMutual && notEmpty(in.getCredentialName()) && fileCerts) {
            ctx.invalid(
                    path.field("credentialName"),
                    '"' + in.getCredentialName() + "\" (expected: either "
                            + "credentialName or certificate files, not both)");
        } else if (mode == ClientTls.Mode.MUTUAL && !notEmpty(in.getCredentialName())) {
            ctx.require(
                    path.field("clientCertificate"), in.getClientCertificate(), "a client certificate for mutual TLS");
            ctx.require(path.field("privateKey"), in.getPrivateKey(), "a private key for mutual TLS");
        }
        if (Values.isTrue(in.getInsecureSkipVerify())
                && (notEmpty(in.getCaCertificates())
                        || !Values.strings(in.getSubjectAltNames()).isEmpty()
                        || (mode == ClientTls.Mode.SIMPLE && notEmpty(in.getCredentialName())))) {
            ctx.invalid(
                    path.field("insecureSkipVerify"),
                    "true (expected: no caCertificates, credentialName or "
                            + "subjectAltNames when server verification is skipped)");
        }
        if (notEmpty(in.getCaCrl())) {
            ctx.unsupported(path.field("caCrl"), "certificate revocation lists");
        }
        return new ClientTls(
                mode,
                in.getClientCertificate(),
                in.getPrivateKey(),
                in.getCaCertificates(),
                in.getCredentialName(),
                Values.strings(in.getSubjectAltNames()),
                in.getSni(),
                Values.isTrue(in.getInsecureSkipVerify()));
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}

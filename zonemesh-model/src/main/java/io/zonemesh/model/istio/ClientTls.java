package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;

/** {@code trafficPolicy.tls}: origination settings toward the destination. */
public record ClientTls(
        Mode mode,
        @Nullable String clientCertificate,
        @Nullable String privateKey,
        @Nullable String caCertificates,
        @Nullable String credentialName,
        List<String> subjectAltNames,
        @Nullable String sni,
        boolean insecureSkipVerify) {

    /** Istio's {@code ClientTLSSettings.TLSmode}. */
    public enum Mode {
        DISABLE,
        SIMPLE,
        MUTUAL,
        ISTIO_MUTUAL
    }

    public ClientTls {
        subjectAltNames = List.copyOf(subjectAltNames);
    }
}

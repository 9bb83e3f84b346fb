package io.zonemesh.proxy.config;

import java.util.Objects;

/**
 * An HTTP connection manager's {@code forward_client_cert_details} and
 * {@code set_current_client_cert_details} (the parts Istio sets: subject, URI, DNS).
 */
public record ForwardClientCert(Mode mode, boolean subject, boolean uri, boolean dns) {
    /** Envoy's default: the header is removed unless the connection is mutual TLS, then too. */
    public static final ForwardClientCert SANITIZE = new ForwardClientCert(Mode.SANITIZE, false, false, false);

    public ForwardClientCert {
        Objects.requireNonNull(mode, "mode");
    }

    /** Envoy's {@code ForwardClientCertDetails}. */
    public enum Mode {
        SANITIZE,
        FORWARD_ONLY,
        APPEND_FORWARD,
        SANITIZE_SET,
        ALWAYS_FORWARD_ONLY
    }
}

package io.zonemesh.model;

import io.zonemesh.common.Nullable;
import java.util.Locale;

/** Application protocol of a port, selected as Istio does from the port name or appProtocol. */
public enum Protocol {
    HTTP,
    HTTP2,
    GRPC,
    HTTPS,
    TLS,
    TCP,
    UNKNOWN;

    /**
     * Istio's protocol selection: {@code appProtocol} first, then the port name's prefix before
     * the first {@code -} ({@code http}, {@code http-web}, {@code grpc-api}, ...).
     */
    public static Protocol select(@Nullable String portName, @Nullable String appProtocol) {
        if (appProtocol != null && !appProtocol.isEmpty()) {
            Protocol p = fromName(appProtocol);
            if (p != UNKNOWN) {
                return p;
            }
        }
        if (portName == null || portName.isEmpty()) {
            return UNKNOWN;
        }
        int dash = portName.indexOf('-');
        return fromName(dash < 0 ? portName : portName.substring(0, dash));
    }

    public static Protocol fromName(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "http":
                return HTTP;
            case "http2":
            case "h2c":
            case "kubernetes.io/h2c":
                return HTTP2;
            case "grpc":
            case "grpc-web":
                return GRPC;
            case "https":
                return HTTPS;
            case "tls":
                return TLS;
            case "tcp":
            case "mongo":
            case "mysql":
            case "redis":
                return TCP;
            default:
                return UNKNOWN;
        }
    }

    /** Whether the proxy handles this port with its HTTP codec. */
    public boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == GRPC;
    }
}

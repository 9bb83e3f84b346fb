package io.zonemesh.proxy.identity;

import java.util.Arrays;

/**
 * Makes the JDK's TLS servers ignore the SNI extension, as an Istio sidecar's inbound does:
 * Istio's SNI names ({@code outbound_.8000_._.httpbin.bar.svc.cluster.local}) contain {@code _},
 * which the JDK's {@code SNIHostName} refuses, and a JDK server that parses such a ClientHello
 * fails the handshake with {@code illegal_parameter}. Callers through an east-west gateway must
 * send that SNI (the gateway routes by it and passes the handshake through unchanged), so the
 * pod's proxy must accept it. The proxy's TLS servers pick nothing by SNI through the JDK: gateway
 * listeners read it with Netty's {@code SniHandler}, and mesh inbounds serve one certificate.
 *
 * <p>The JDK reads {@code jdk.tls.server.disableExtensions} once, when its first TLS server
 * starts: {@link #apply()} must run before that ({@link io.zonemesh.proxy.ZonemeshProxy} calls it
 * when its class loads; a process that starts other TLS servers first should call it at startup).
 */
public final class JdkTlsSettings {
    static final String SERVER_DISABLED_EXTENSIONS = "jdk.tls.server.disableExtensions";
    static final String SERVER_NAME = "server_name";

    private JdkTlsSettings() {}

    /** Adds {@code server_name} to the JDK's disabled server extensions, keeping any already listed. */
    public static synchronized void apply() {
        String current = System.getProperty(SERVER_DISABLED_EXTENSIONS, "").trim();
        boolean listed = Arrays.stream(current.split(",")).map(String::trim).anyMatch(SERVER_NAME::equals);
        if (!listed) {
            System.setProperty(
                    SERVER_DISABLED_EXTENSIONS, current.isEmpty() ? SERVER_NAME : current + "," + SERVER_NAME);
        }
    }
}

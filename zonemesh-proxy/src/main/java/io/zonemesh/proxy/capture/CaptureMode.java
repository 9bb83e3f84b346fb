package io.zonemesh.proxy.capture;

import java.util.Locale;

/**
 * How connections reach the proxy; Istio's {@code sidecar.istio.io/interceptionMode}.
 *
 * <p>REDIRECT (Istio's default) rewrites the destination in the nat table; the original one is
 * then only known to the kernel's conntrack, through the {@code SO_ORIGINAL_DST} socket option,
 * which Java (and Netty's epoll transport) cannot read without JNI of its own. Such a proxy can
 * route HTTP by its authority but cannot pass any other TCP through. TPROXY (zonemesh's default)
 * delivers the packets unchanged to a listener with {@code IP_TRANSPARENT}: the accepted socket's
 * local address IS the original destination, which any Java socket can read.
 */
public enum CaptureMode {
    REDIRECT,
    TPROXY;

    /** Parses Istio's spelling (any case). */
    public static CaptureMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("capture mode: " + text + " (expected: TPROXY or REDIRECT)", e);
        }
    }
}

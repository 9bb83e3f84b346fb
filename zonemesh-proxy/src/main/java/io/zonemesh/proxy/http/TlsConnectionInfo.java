package io.zonemesh.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import io.netty.util.AttributeKey;
import io.zonemesh.common.Nullable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * What Envoy's {@code Ssl::ConnectionInfo} tells about a downstream TLS connection once its
 * handshake is done: the peer certificate's SHA-256 digest, RFC 2253 subject, URI and DNS SANs,
 * and the local certificate's URI SANs. Kept as a channel attribute for the connection's requests
 * (x-forwarded-client-cert, access log).
 *
 * @param peerCertificatePresented whether the client sent a certificate (mutual TLS)
 * @param peerDigest lowercase hex SHA-256 of the peer certificate's DER, "" without one
 */
public record TlsConnectionInfo(
        boolean peerCertificatePresented,
        String peerDigest,
        String peerSubject,
        List<String> peerUriSans,
        List<String> peerDnsSans,
        List<String> localUriSans) {

    static final AttributeKey<TlsConnectionInfo> KEY = AttributeKey.valueOf(TlsConnectionInfo.class, "tls");

    private static final int URI = 6;
    private static final int DNS = 2;

    public TlsConnectionInfo {
        peerUriSans = List.copyOf(peerUriSans);
        peerDnsSans = List.copyOf(peerDnsSans);
        localUriSans = List.copyOf(localUriSans);
    }

    /** The info of {@code channel}'s connection (an HTTP/2 stream's parent), null for plaintext. */
    static @Nullable TlsConnectionInfo of(Channel channel) {
        TlsConnectionInfo info = channel.attr(KEY).get();
        if (info == null && channel.parent() != null && !(channel.parent() instanceof io.netty.channel.ServerChannel)) {
            info = channel.parent().attr(KEY).get();
        }
        return info;
    }

    /**
     * Envoy's {@code %REQUESTED_SERVER_NAME%}: the SNI host name the client sent on
     * {@code connection} (a TCP connection, not an HTTP/2 stream), null without TLS or SNI.
     */
    static @Nullable String requestedServerName(Channel connection) {
        SslHandler ssl = connection.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        if (ssl.engine() instanceof ReferenceCountedOpenSslEngine openSsl) {
            // BoringSSL keeps the name as sent; Netty's getRequestedServerNames() wraps it in the
            // JDK's SNIHostName, which throws on Istio's names (outbound_.<port>_...).
            // The engine's monitor keeps shutdown() from freeing the SSL between the two calls.
            synchronized (openSsl) {
                long pointer = openSsl.sslPointer();
                return pointer == 0 ? null : SSL.getSniHostname(pointer);
            }
        }
        if (!(ssl.engine().getSession() instanceof ExtendedSSLSession session)) {
            return null;
        }
        for (SNIServerName name : session.getRequestedServerNames()) {
            if (name instanceof SNIHostName host) {
                return host.getAsciiName();
            }
        }
        return null;
    }

    /** Reads the finished handshake of {@code ssl}. */
    static TlsConnectionInfo from(SslHandler ssl) {
        SSLSession session = ssl.engine().getSession();
        List<String> local = new ArrayList<>();
        Certificate[] locals = session.getLocalCertificates();
        if (locals != null && locals.length > 0 && locals[0] instanceof X509Certificate leaf) {
            local = sans(leaf, URI);
        }
        X509Certificate peer = null;
        try {
            Certificate[] peers = session.getPeerCertificates();
            if (peers.length > 0 && peers[0] instanceof X509Certificate leaf) {
                peer = leaf;
            }
        } catch (SSLPeerUnverifiedException e) {
            // No client certificate: one-way TLS.
        }
        if (peer == null) {
            return new TlsConnectionInfo(false, "", "", List.of(), List.of(), local);
        }
        return new TlsConnectionInfo(
                true,
                digest(peer),
                peer.getSubjectX500Principal().getName(X500Principal.RFC2253),
                sans(peer, URI),
                sans(peer, DNS),
                local);
    }

    private static String digest(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("SHA-256 of a certificate the handshake accepted", e);
        }
    }

    private static List<String> sans(X509Certificate certificate, int tag) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (name.size() >= 2 && name.get(0) instanceof Integer type && type == tag) {
                        out.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // A SAN extension the JDK cannot parse counts as none, as an absent one.
        }
        return out;
    }
}

package io.zonemesh.proxy.tcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The ALPN protocol names a ClientHello offers (RFC 7301 extension 16), what Envoy's tls_inspector
 * reports as the connection's requested application protocols. Netty's
 * {@link io.netty.handler.ssl.SslClientHelloHandler} finds the ClientHello and its
 * {@link io.netty.handler.ssl.AbstractSniHandler} reads the server name, but nothing in Netty reads
 * the offered ALPN list before a handshake; this walks the extensions for it. Every length is
 * checked against what remains: a malformed hello yields no protocols, never an exception.
 */
final class AlpnExtension {
    private static final int ALPN = 16;
    /** client_version (2) and random (32). */
    private static final int FIXED_PREFIX = 34;

    private AlpnExtension() {}

    /** @param clientHello the ClientHello body (from client_version on); not consumed or released */
    static List<String> protocols(ByteBuf clientHello) {
        int end = clientHello.writerIndex();
        int at = clientHello.readerIndex() + FIXED_PREFIX;
        at = skip(clientHello, at, end, 1); // session_id
        at = skip(clientHello, at, end, 2); // cipher_suites
        at = skip(clientHello, at, end, 1); // compression_methods
        if (at < 0 || at + 2 > end) {
            return List.of();
        }
        int extensionsEnd = Math.min(end, at + 2 + clientHello.getUnsignedShort(at));
        at += 2;
        while (at + 4 <= extensionsEnd) {
            int type = clientHello.getUnsignedShort(at);
            int length = clientHello.getUnsignedShort(at + 2);
            int body = at + 4;
            if (body + length > extensionsEnd) {
                return List.of();
            }
            if (type == ALPN) {
                return names(clientHello, body, body + length);
            }
            at = body + length;
        }
        return List.of();
    }

    /** {@code ProtocolNameList}: a 2-byte length, then names each with a 1-byte length. */
    private static List<String> names(ByteBuf hello, int at, int end) {
        if (at + 2 > end) {
            return List.of();
        }
        int listEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
        at += 2;
        List<String> out = new ArrayList<>();
        while (at < listEnd) {
            int length = hello.getUnsignedByte(at);
            if (length == 0 || at + 1 + length > listEnd) {
                return List.of();
            }
            out.add(hello.toString(at + 1, length, StandardCharsets.US_ASCII));
            at += 1 + length;
        }
        return List.copyOf(out);
    }

    /** Skips a vector with a {@code lengthBytes}-byte length prefix; -1 when it runs past {@code end}. */
    private static int skip(ByteBuf hello, int at, int end, int lengthBytes) {
        if (at < 0 || at + lengthBytes > end) {
            return -1;
        }
        int length = lengthBytes == 1 ? hello.getUnsignedByte(at) : hello.getUnsignedShort(at);
        int next = at + lengthBytes + length;
        return next > end ? -1 : next;
    }
}

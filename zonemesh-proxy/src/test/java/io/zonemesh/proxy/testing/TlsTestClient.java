package io.zonemesh.proxy.testing;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.identity.WorkloadSecret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A blocking TLS client for tests (the JDK's), presenting an optional client certificate and
 * trusting any server certificate, so that a test can look at what a server presents.
 */
public final class TlsTestClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;
    private final SSLSocket socket;

    private TlsTestClient(SSLSocket socket) {
        this.socket = socket;
    }

    /** Connects to 127.0.0.1:{@code port} and completes the handshake. */
    public static TlsTestClient connect(int port, @Nullable WorkloadSecret identity) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            if (identity != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = "test".toCharArray();
                store.setKeyEntry("workload", identity.key(), password, identity.chain().toArray(X509Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            context.init(
                    keys == null ? null : keys.getKeyManagers(),
                    InsecureTrustManagerFactory.INSTANCE.getTrustManagers(),
                    null);
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            tls.setSoTimeout(TIMEOUT_MILLIS);
            tls.startHandshake();
            return new TlsTestClient(tls);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's leaf certificate. */
    public X509Certificate serverCertificate() {
        try {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends a GET for {@code path} and returns the response's status line and headers, or throws
     * when the server closes the connection without one.
     */
    public String get(String path) throws IOException {
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: httpbin\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                int length = contentLength(text);
                in.readNBytes(length);
                return text;
            }
        }
        throw new IOException("connection closed before a response");
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

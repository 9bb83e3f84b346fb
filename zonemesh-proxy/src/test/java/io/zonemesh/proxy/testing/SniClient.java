package io.zonemesh.proxy.testing;

import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.zonemesh.proxy.identity.WorkloadSecret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;

/**
 * A blocking mutual-TLS client as a sidecar dials a remote gateway: SNI
 * {@code outbound_.<port>_.<subset>_.<host>}, Istio's ALPN, its workload certificate. Trusts any
 * server, so a test can look at which backend answered.
 */
public final class SniClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;
    private final SSLSocket socket;
    private final BufferedReader reader;

    private SniClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Connects to 127.0.0.1:{@code port} and completes the handshake (throws when the proxy closes). */
    public static SniClient connect(int port, String sni, List<String> alpn, WorkloadSecret identity)
            throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "test".toCharArray();
            store.setKeyEntry(
                    "workload", identity.key(), password, identity.chain().toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
            Socket plain = new Socket();
            plain.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            SSLParameters parameters = tls.getSSLParameters();
            // SNIHostName refuses the "_" of Istio's SNI names (STD3 rules); the wire form does not.
            parameters.setServerNames(List.of(
                    new SNIServerName(StandardConstants.SNI_HOST_NAME, sni.getBytes(StandardCharsets.US_ASCII)) {}));
            parameters.setApplicationProtocols(alpn.toArray(String[]::new));
            tls.setSSLParameters(parameters);
            tls.setSoTimeout(TIMEOUT_MILLIS);
            tls.startHandshake();
            return new SniClient(tls);
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

    /** One line from the server, null at end of stream. */
    public String readLine() throws IOException {
        return reader.readLine();
    }

    public void write(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

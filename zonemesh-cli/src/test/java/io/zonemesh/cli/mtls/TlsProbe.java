package io.zonemesh.cli.mtls;

import io.zonemesh.common.Nullable;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.ca.CertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What a client outside the mesh sees on a sidecar's inbound port, the way {@code curl} and
 * {@code openssl s_client} would show it: a plaintext HTTP request and its answer (or the lack of
 * one), and a TLS handshake with the certificate the sidecar presents, with or without a client
 * certificate. Every read is bounded by a socket timeout.
 */
public final class TlsProbe {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String REQUEST = "GET /probe HTTP/1.1\r\nHost: httpbin.shop:8000\r\nConnection: close\r\n\r\n";

    private TlsProbe() {}

    /**
     * How a request ended.
     *
     * @param response the bytes the server answered ("" for none)
     * @param ending "eof", "reset", "timeout" or "handshake failed: ..."
     */
    public record Answer(String response, String ending) {
        public boolean answered() {
            return response.startsWith("HTTP/1.1 200");
        }
    }

    /** A plaintext HTTP/1.1 request straight to {@code port}. */
    public static Answer plaintext(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            return exchange(s);
        }
    }

    /** The same request over TLS, presenting {@code clientCert} (or none), trusting anything. */
    public static Answer overTls(int port, @Nullable KeyManager[] clientCert) throws Exception {
        Recording trust = new Recording();
        try (SSLSocket s = socket(port, clientCert, trust)) {
            try {
                s.startHandshake();
            } catch (IOException e) {
                return new Answer("", "handshake failed: " + e);
            }
            return exchange(s);
        }
    }

    /** The chain the server presents in a handshake (finished or not: no client certificate is sent). */
    public static List<X509Certificate> serverChain(int port) throws Exception {
        Recording trust = new Recording();
        try (SSLSocket s = socket(port, null, trust)) {
            try {
                s.startHandshake();
                s.getInputStream().read(); // TLS 1.3: the server's verdict on the client comes after
            } catch (IOException expected) {
                // STRICT requires a client certificate; the server's own chain came before that.
            }
        }
        return trust.chain.isEmpty() ? List.of() : trust.chain.get(0);
    }

    /** A key manager presenting a fresh key with a certificate for {@code id} signed by {@code ca}. */
    public static KeyManager[] clientCertificate(CertificateAuthority ca, SpiffeId id) throws Exception {
        KeyPair key = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, new SecureRandom());
        List<String> pems = ca.sign(Csrs.create(key, id), id, Duration.ofHours(1));
        List<X509Certificate> chain = new ArrayList<>();
        for (String pem : pems.subList(0, pems.size() - 1)) { // the root is not sent
            chain.addAll(Pem.certificates(pem));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key.getPrivate(), new char[0], chain.toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, new char[0]);
        return kmf.getKeyManagers();
    }

    private static SSLSocket socket(int port, @Nullable KeyManager[] keys, Recording trust) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, new TrustManager[] {trust}, new SecureRandom());
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
        s.setSoTimeout((int) TIMEOUT.toMillis());
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(params);
        return s;
    }

    private static Answer exchange(Socket s) throws IOException {
        s.setSoTimeout((int) TIMEOUT.toMillis());
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        String ending;
        try {
            s.getOutputStream().write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            // Bounded: the server closes after its answer (Connection: close), or the timeout ends it.
            for (int n = in.read(buf); n >= 0 && got.size() < 1 << 20; n = in.read(buf)) {
                got.write(buf, 0, n);
            }
            ending = "eof";
        } catch (SocketTimeoutException e) {
            ending = "timeout";
        } catch (IOException e) {
            ending = "reset: " + e.getMessage();
        }
        return new Answer(got.toString(StandardCharsets.ISO_8859_1), ending);
    }

    /** Trusts any server, recording the chain it presented. */
    private static final class Recording implements X509TrustManager {
        final List<List<X509Certificate>> chain = new CopyOnWriteArrayList<>();

        @Override
        public void checkClientTrusted(X509Certificate[] c, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] c, String authType) {
            chain.add(List.of(c));
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

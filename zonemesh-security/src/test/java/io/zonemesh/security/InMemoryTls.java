package io.zonemesh.security;

import io.zonemesh.security.ca.CertificateAuthority;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/** A TLS 1.3 handshake between two JDK SSLEngines over in-memory buffers (no sockets). */
final class InMemoryTls {
    private static final SecureRandom RANDOM = new SecureRandom();

    private InMemoryTls() {}

    static WorkloadCertificate workload(CertificateAuthority ca, SpiffeId id) {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        List<String> pems = ca.sign(Csrs.create(keys, id), id, Duration.ofHours(1));
        List<X509Certificate> chain = new ArrayList<>();
        for (String pem : pems.subList(0, pems.size() - 1)) {
            chain.addAll(Pem.certificates(pem));
        }
        return new WorkloadCertificate(keys.getPrivate(), chain, ca.roots(), id.uri());
    }

    static void handshake(
            WorkloadCertificate client,
            PeerVerifier clientVerifier,
            WorkloadCertificate server,
            PeerVerifier serverVerifier)
            throws Exception {
        SSLEngine c = context(client, clientVerifier).createSSLEngine();
        c.setUseClientMode(true);
        SSLEngine s = context(server, serverVerifier).createSSLEngine();
        s.setUseClientMode(false);
        s.setNeedClientAuth(true);
        ByteBuffer cToS = ByteBuffer.allocate(1 << 16);
        ByteBuffer sToC = ByteBuffer.allocate(1 << 16);
        ByteBuffer app = ByteBuffer.allocate(1 << 16);
        ByteBuffer empty = ByteBuffer.allocate(0);
        c.beginHandshake();
        s.beginHandshake();
        for (int i = 0; i < 200; i++) { // bounded: a TLS 1.3 handshake takes a handful of rounds
            step(c, empty, cToS, sToC, app);
            step(s, empty, sToC, cToS, app);
            if (done(c) && done(s)) {
                return;
            }
        }
        throw new SSLException("handshake did not finish");
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus st = e.getHandshakeStatus();
        return st == HandshakeStatus.NOT_HANDSHAKING || st == HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine e, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app)
            throws SSLException {
        HandshakeStatus st = e.getHandshakeStatus();
        if (st == HandshakeStatus.NEED_TASK) {
            for (Runnable t = e.getDelegatedTask(); t != null; t = e.getDelegatedTask()) {
                t.run();
            }
        } else if (st == HandshakeStatus.NEED_WRAP) {
            e.wrap(empty, out);
        } else if (st == HandshakeStatus.NEED_UNWRAP) {
            in.flip();
            e.unwrap(in, app);
            in.compact();
        }
    }

    private static SSLContext context(WorkloadCertificate cert, PeerVerifier verifier) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("workload", cert.key(), new char[0], cert.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {verifier.trustManager()}, RANDOM);
        return ctx;
    }
}

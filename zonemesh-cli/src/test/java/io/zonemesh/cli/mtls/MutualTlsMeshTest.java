package io.zonemesh.cli.mtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.SpiffeIds;
import io.zonemesh.security.ca.CertificateAuthority;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's "done when" over real sockets in a {@code zonemesh up} mesh: with a namespace-wide
 * STRICT PeerAuthentication, sidecars call each other over mutual TLS with no error while a
 * plaintext request straight to the server sidecar's inbound port gets no answer; a TLS handshake
 * there shows the workload's SPIFFE identity; a client certificate of another root is refused; with
 * PERMISSIVE the same plaintext request is answered.
 */
class MutualTlsMeshTest {
    private static final URI URL = URI.create("http://httpbin.shop:8000/hello");
    private static final SpiffeId SLEEP = new SpiffeId("cluster.local", "shop", "sleep");

    private static SendResult callFromSleep(LocalMesh mesh, int n) {
        ZonemeshProxy sleep = mesh.sidecarOf(MtlsMesh.NS, "sleep");
        return new Sender(new InetSocketAddress("127.0.0.1", sleep.outboundPort()), Duration.ofSeconds(10))
                .send(URL, n, "GET", List.of(), null);
    }

    @Test
    void strictMeshCallsSucceedWhilePlaintextToTheInboundPortIsNotAnswered() throws Exception {
        try (LocalMesh mesh = LocalMesh.start(MtlsMesh.bundle("STRICT"), RandomSource.seededThreadSafe(1))) {
            mesh.awaitConverged(Duration.ofSeconds(30));

            SendResult calls = callFromSleep(mesh, 100);
            assertThat(calls.errors()).as("errors: %s", calls.errorCauses()).isZero();
            assertThat(calls.responses().keySet()).allMatch(line -> line.contains("httpbin"));

            TlsProbe.Answer plain = TlsProbe.plaintext(MtlsMesh.httpbinInbound(mesh));
            assertThat(plain.response())
                    .as("plaintext answer (%s)", plain.ending())
                    .isEmpty();
            assertThat(plain.ending()).as("the sidecar closes the connection").isNotEqualTo("timeout");
        }
    }

    @Test
    void theInboundPortPresentsTheWorkloadsSpiffeIdentityFromTheMeshCa() throws Exception {
        try (LocalMesh mesh = LocalMesh.start(MtlsMesh.bundle("STRICT"), RandomSource.seededThreadSafe(2))) {
            mesh.awaitConverged(Duration.ofSeconds(30));

            List<X509Certificate> chain = TlsProbe.serverChain(MtlsMesh.httpbinInbound(mesh));

            assertThat(chain).isNotEmpty();
            assertThat(SpiffeIds.uriSan(chain.get(0))).contains(MtlsMesh.HTTPBIN_ID);
            X509Certificate last = chain.get(chain.size() - 1);
            last.verify(mesh.ca().roots().get(0).getPublicKey()); // chains to the mesh's root
        }
    }

    @Test
    void aClientCertificateOfTheMeshIsServedAndOneFromAnotherRootIsRefused() throws Exception {
        try (LocalMesh mesh = LocalMesh.start(MtlsMesh.bundle("STRICT"), RandomSource.seededThreadSafe(3))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            int inbound = MtlsMesh.httpbinInbound(mesh);

            TlsProbe.Answer ours = TlsProbe.overTls(inbound, TlsProbe.clientCertificate(mesh.ca(), SLEEP));
            assertThat(ours.answered())
                    .as("mesh client: %s %s", ours.ending(), ours.response())
                    .isTrue();

            CertificateAuthority stranger =
                    CertificateAuthority.selfSigned("stranger", io.zonemesh.common.Clock.system(), new SecureRandom());
            TlsProbe.Answer theirs = TlsProbe.overTls(inbound, TlsProbe.clientCertificate(stranger, SLEEP));
            assertThat(theirs.answered())
                    .as("foreign client: %s", theirs.ending())
                    .isFalse();
            assertThat(theirs.response()).isEmpty();
        }
    }

    @Test
    void permissiveAnswersThePlaintextRequestThatStrictRefused() throws Exception {
        try (LocalMesh mesh = LocalMesh.start(MtlsMesh.bundle("STRICT"), RandomSource.seededThreadSafe(4))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            int inbound = MtlsMesh.httpbinInbound(mesh);
            assertThat(TlsProbe.plaintext(inbound).answered()).isFalse();

            mesh.apply(MtlsMesh.bundle("PERMISSIVE"));
            mesh.awaitConverged(Duration.ofSeconds(30));

            assertThat(MtlsMesh.httpbinInbound(mesh))
                    .as("same sidecar, same socket")
                    .isEqualTo(inbound);
            TlsProbe.Answer plain = TlsProbe.plaintext(inbound);
            assertThat(plain.answered())
                    .as("%s %s", plain.ending(), plain.response())
                    .isTrue();
            assertThat(plain.response()).contains("httpbin");
            SendResult calls = callFromSleep(mesh, 50);
            assertThat(calls.errors()).as("errors: %s", calls.errorCauses()).isZero();
        }
    }
}

package io.zonemesh.cli.mtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonemesh.cli.mesh.LocalMesh;
import io.zonemesh.common.RandomSource;
import io.zonemesh.security.SpiffeId;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a certificate rotation under a steady load costs no request. The sidecars ask for
 * short-lived certificates and rotate every few seconds; requests flow from sleep to httpbin
 * under STRICT mTLS the whole time, and fresh mTLS handshakes against httpbin's inbound port keep
 * succeeding with whatever certificate it holds at that moment.
 */
class CertificateRotationTest {
    // Rotated half its lifetime after it arrives (istio-agent's rule): every ~4 s.
    private static final Duration TTL = Duration.ofSeconds(8);
    private static final URI URL = URI.create("http://httpbin.shop:8000/hello");

    @Test
    void rotatesUnderSteadyLoadWithoutAFailedRequest() throws Exception {
        try (LocalMesh mesh = LocalMesh.start(MtlsMesh.bundle("STRICT"), RandomSource.seededThreadSafe(5), TTL)) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            int inbound = MtlsMesh.httpbinInbound(mesh);
            KeyManager[] client = TlsProbe.clientCertificate(mesh.ca(), new SpiffeId("cluster.local", "shop", "sleep"));
            Set<BigInteger> serials = new LinkedHashSet<>();
            AtomicInteger handshakes = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();

            try (SteadyLoad load =
                    SteadyLoad.start(mesh.sidecarOf(MtlsMesh.NS, "sleep").outboundPort(), URL)) {
                // Two rotations of httpbin's certificate seen on the wire, each within its lifetime.
                await().atMost(TTL.multipliedBy(2))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            serials.add(TlsProbe.serverChain(inbound).get(0).getSerialNumber());
                            handshakes.incrementAndGet();
                            if (!TlsProbe.overTls(inbound, client).answered()) {
                                refused.incrementAndGet();
                            }
                            return serials.size() >= 3;
                        });
                load.close();
                assertThat(load.sent()).as("requests under load").isGreaterThan(100);
                assertThat(load.errors())
                        .as("failed requests: %s", load.causes())
                        .isZero();
            }
            assertThat(refused.get())
                    .as("refused mTLS requests of %s", handshakes.get())
                    .isZero();
        }
    }
}

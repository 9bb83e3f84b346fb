package io.zonemesh.cli.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.cli.mtls.MtlsMesh;
import io.zonemesh.cli.mtls.SteadyLoad;
import io.zonemesh.cli.mtls.TlsProbe;
import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.Transport;
import io.zonemesh.security.KeyAlgorithm;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the CA being down for less than the remaining lifetime of the certificates changes
 * nothing. The sidecars reach the CA through a relay the test takes down until their rotation
 * has failed and been retried: traffic under STRICT mTLS keeps flowing on the still-valid
 * certificates, and once the CA is back a retry rotates them before they expire.
 */
class CaOutageMeshTest {
    // The sidecars try to rotate ~15 s after issue (half the lifetime, istio-agent's rule), which
    // leaves ~15 s of validity for the outage, the retries and the rotation once the CA is back.
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final URI URL = URI.create("http://httpbin.shop:8000/hello");

    @Test
    void aCaOutageShorterThanTheRemainingLifetimeCostsNoRequest() throws Exception {
        try (Relay relay = new Relay();
                LocalMesh mesh = LocalMesh.start(
                        MtlsMesh.bundle("STRICT"),
                        RandomSource.seededThreadSafe(6),
                        new InetSocketAddress("127.0.0.1", 0),
                        Transport.preferred().newGroup(2, new DefaultThreadFactory("zonemesh-mesh")),
                        new MeshIdentity.Options(TTL, KeyAlgorithm.ECDSA_P256, relay::forward))) {
            mesh.awaitConverged(Duration.ofSeconds(30));
            int inbound = MtlsMesh.httpbinInbound(mesh);
            X509Certificate first = TlsProbe.serverChain(inbound).get(0);
            Instant notAfter = first.getNotAfter().toInstant();

            try (SteadyLoad load =
                    SteadyLoad.start(mesh.sidecarOf(MtlsMesh.NS, "sleep").outboundPort(), URL)) {
                relay.down();
                // Down until the sidecars have tried to rotate and retried (both refused), which
                // happens well within the certificates' lifetime.
                await().atMost(Duration.between(now(), notAfter).minusSeconds(5))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> relay.refused() >= 2);
                assertThat(TlsProbe.serverChain(inbound).get(0))
                        .as("no new certificate while the CA is down")
                        .isEqualTo(first);
                int duringOutage = load.sent();
                assertThat(load.errors())
                        .as("failed requests while the CA is down: %s", load.causes())
                        .isZero();

                relay.up();
                await().atMost(Duration.between(now(), notAfter))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> !TlsProbe.serverChain(inbound).get(0).equals(first));
                load.close();
                assertThat(duringOutage).as("requests during the outage").isPositive();
                assertThat(load.errors())
                        .as("failed requests: %s", load.causes())
                        .isZero();
            }
        }
    }

    private static Instant now() {
        return Instant.ofEpochMilli(Clock.system().currentTimeMillis());
    }
}

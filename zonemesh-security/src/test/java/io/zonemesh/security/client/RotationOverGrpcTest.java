package io.zonemesh.security.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.WorkloadCertificate;
import io.zonemesh.security.ca.BootstrapTokens;
import io.zonemesh.security.ca.CertificateAuthority;
import io.zonemesh.security.ca.CertificateService;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The whole path: rotator → GrpcCertificateSigner → in-process gRPC → CertificateService → CA. */
class RotationOverGrpcTest {
    @Test
    void rotatorGetsTheIdentityItsTokenStandsForAndSurvivesACaOutage() throws Exception {
        SecureRandom random = new SecureRandom();
        FakeClock clock = new FakeClock();
        AtomicReference<CertificateAuthority> ca =
                new AtomicReference<>(CertificateAuthority.selfSigned("cluster.local", clock, random));
        BootstrapTokens tokens = new BootstrapTokens(random);
        String token = tokens.issue(SpiffeId.of("shop", "cart"));
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(new CertificateService(ca::get, tokens, clock).serviceDefinition())
                .build()
                .start();
        ManagedChannel channel =
                InProcessChannelBuilder.forName(name).directExecutor().build();
        try (CertificateRotator rotator = new CertificateRotator(
                new GrpcCertificateSigner(channel, () -> token, "Kubernetes"),
                KeyAlgorithm.RSA_2048,
                Duration.ofMinutes(10),
                SpiffeId.of("kube-system", "admin"), // asked for, not granted
                clock,
                clock,
                RandomSource.seeded(1),
                random)) {
            rotator.start();
            WorkloadCertificate first = rotator.current();
            assertThat(first).isNotNull();
            assertThat(first.spiffeId()).isEqualTo("spiffe://cluster.local/ns/shop/sa/cart");
            assertThat(first.key().getAlgorithm()).isEqualTo("RSA");
            assertThat(Duration.between(first.notBefore(), first.notAfter())).isEqualTo(Duration.ofMinutes(12));

            ca.set(null); // CA down (UNAVAILABLE) for 7 minutes, across the rotation point (notBefore + 6 min = 4 min
            // from now)
            clock.advance(Duration.ofMinutes(7));
            assertThat(rotator.current()).isSameAs(first);
            ca.set(CertificateAuthority.selfSigned("cluster.local", clock, random)); // back, with a new root
            clock.advance(Duration.ofSeconds(31));
            WorkloadCertificate second = rotator.current();
            assertThat(second).isNotSameAs(first);
            assertThat(second.roots()).isEqualTo(ca.get().roots());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(clock.pendingTasks()).isEmpty();
    }
}

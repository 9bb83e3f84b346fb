package io.zonemesh.security.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.Nullable;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.SpiffeIds;
import io.zonemesh.security.client.GrpcCertificateSigner;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** IstioCertificateService over in-process gRPC, called through GrpcCertificateSigner. */
class CertificateServiceTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FakeClock CLOCK = new FakeClock();
    private static CertificateAuthority ca;

    private final BootstrapTokens tokens = new BootstrapTokens(RANDOM);
    private final AtomicReference<@Nullable CertificateAuthority> current = new AtomicReference<>();
    private Server server;
    private ManagedChannel channel;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.selfSigned("cluster.local", CLOCK, RANDOM);
    }

    private void start(Authenticator authenticator, boolean withInterceptor) throws Exception {
        current.set(ca);
        CertificateService service = new CertificateService(current::get, authenticator, CLOCK);
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(withInterceptor ? service.serviceDefinition() : service.bindService())
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private List<String> call(@Nullable String token, String csr, Duration ttl) throws Exception {
        try {
            return new GrpcCertificateSigner(channel, () -> token, "Kubernetes")
                    .sign(csr, ttl)
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static String csrAskingFor(SpiffeId id) {
        KeyPair keys = KeyPairs.generate(KeyAlgorithm.ECDSA_P256, RANDOM);
        return Csrs.create(keys, id);
    }

    private static Status.Code code(Throwable t) {
        return ((StatusRuntimeException) t).getStatus().getCode();
    }

    @Test
    void signsTheAuthenticatedIdentityNotTheCsrsLeafFirstRootLast() throws Exception {
        start(tokens, true);
        String token = tokens.issue(SpiffeId.of("shop", "cart"));

        List<String> chain = call(token, csrAskingFor(SpiffeId.of("kube-system", "admin")), Duration.ofHours(1));

        X509Certificate leaf = Pem.certificates(chain.get(0)).get(0);
        assertThat(SpiffeIds.uriSan(leaf)).contains("spiffe://cluster.local/ns/shop/sa/cart");
        assertThat(chain).hasSize(2);
        assertThat(Pem.certificates(chain.get(chain.size() - 1))).containsExactly(ca.signingCertificate());
        leaf.verify(ca.signingCertificate().getPublicKey());
    }

    @Test
    void defaultTtlIs24HoursAndMoreThan90DaysIsInvalid() throws Exception {
        start(tokens, true);
        String token = tokens.issue(SpiffeId.of("shop", "cart"));
        X509Certificate leaf = Pem.certificates(call(token, csrAskingFor(SpiffeId.of("shop", "cart")), Duration.ZERO)
                        .get(0))
                .get(0);
        assertThat(leaf.getNotAfter().toInstant())
                .isEqualTo(
                        Instant.ofEpochSecond(CLOCK.currentTimeMillis() / 1000).plus(Duration.ofHours(24)));

        assertThat(call(token, csrAskingFor(SpiffeId.of("shop", "cart")), Duration.ofDays(90)))
                .hasSize(2);
        assertThatThrownBy(() -> call(token, csrAskingFor(SpiffeId.of("shop", "cart")), Duration.ofDays(91)))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("is greater than the max allowed TTL");
    }

    @Test
    void noOrBadTokenIsUnauthenticated() throws Exception {
        start(tokens, true);
        String csr = csrAskingFor(SpiffeId.of("shop", "cart"));
        assertThatThrownBy(() -> call(null, csr, Duration.ZERO))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.UNAUTHENTICATED))
                .hasMessageContaining("no authorization header");
        assertThatThrownBy(() -> call("not-a-token", csr, Duration.ZERO))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.UNAUTHENTICATED))
                .hasMessageContaining("not a valid bootstrap token");

        String token = tokens.issue(SpiffeId.of("shop", "cart"));
        assertThat(call(token, csr, Duration.ZERO)).hasSize(2);
        tokens.revoke(SpiffeId.of("shop", "cart"));
        assertThatThrownBy(() -> call(token, csr, Duration.ZERO))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void badCsrIsInvalidArgument() throws Exception {
        start(tokens, true);
        String token = tokens.issue(SpiffeId.of("shop", "cart"));
        assertThatThrownBy(() -> call(
                        token,
                        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
                        Duration.ZERO))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("CSR signing error (csr: ");
        assertThatThrownBy(() -> call(token, "", Duration.ZERO))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void noCaLoadedIsUnavailable() throws Exception {
        start(tokens, true);
        current.set(null);
        String token = tokens.issue(SpiffeId.of("shop", "cart"));
        assertThatThrownBy(() -> call(token, csrAskingFor(SpiffeId.of("shop", "cart")), Duration.ZERO))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void signerSendsBearerTokenAndClusterIdReadingTheTokenPerCall() throws Exception {
        AtomicReference<Metadata> seen = new AtomicReference<>();
        start(
                headers -> {
                    seen.set(headers);
                    return SpiffeId.of("shop", "cart");
                },
                true);
        AtomicReference<String> token = new AtomicReference<>("first");
        GrpcCertificateSigner signer = new GrpcCertificateSigner(channel, token::get, "cluster1");
        String csr = csrAskingFor(SpiffeId.of("shop", "cart"));

        signer.sign(csr, Duration.ZERO).get(10, TimeUnit.SECONDS);
        assertThat(seen.get().get(Authenticator.AUTHORIZATION)).isEqualTo("Bearer first");
        assertThat(seen.get().get(Metadata.Key.of("ClusterID", Metadata.ASCII_STRING_MARSHALLER)))
                .isEqualTo("cluster1");

        token.set("rotated");
        signer.sign(csr, Duration.ZERO).get(10, TimeUnit.SECONDS);
        assertThat(seen.get().get(Authenticator.AUTHORIZATION)).isEqualTo("Bearer rotated");
    }

    @Test
    void registeredWithoutTheInterceptorEveryCallFailsSayingSo() throws Exception {
        start(tokens, false);
        String token = tokens.issue(SpiffeId.of("shop", "cart"));
        assertThatThrownBy(() -> call(token, csrAskingFor(SpiffeId.of("shop", "cart")), Duration.ZERO))
                .satisfies(t -> assertThat(code(t)).isEqualTo(Status.Code.INTERNAL))
                .hasMessageContaining("CertificateService.interceptor()");
    }
}

package io.zonemesh.proxy.identity;

import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.TlsServerCredentials;
import io.zonemesh.common.Clock;
import io.zonemesh.proxy.ZonemeshProxy;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.security.Csrs;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.KeyPairs;
import io.zonemesh.security.Pem;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.SpiffeIds;
import io.zonemesh.security.WorkloadCertificate;
import io.zonemesh.security.ca.BootstrapTokens;
import io.zonemesh.security.ca.CertificateAuthority;
import io.zonemesh.security.ca.CertificateService;
import io.zonemesh.security.client.GrpcCertificateSigner;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy's CA client against zonemesh-security's certificate service on a TLS port, as
 * istio-agent against istiod's 15012: the CA's certificate is checked against the given roots and
 * server name, the proxy gets the identity its token stands for, and {@code /certs} shows it.
 */
class CaClientEndToEndTest {
    private static final String CA_NAME = "istiod.istio-system.svc";

    private final SecureRandom random = new SecureRandom();
    private final CertificateAuthority authority = CertificateAuthority.selfSigned("cluster.local", Clock.system(), random);
    private final BootstrapTokens tokens = new BootstrapTokens(random);
    private Server server;
    private MeshFixture mesh;

    @BeforeEach
    void startCa() throws Exception {
        WorkloadCertificate serving = authority.issueServing(
                KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random),
                List.of(CA_NAME, "localhost"),
                List.of("127.0.0.1"),
                Duration.ofHours(1));
        server = Grpc.newServerBuilderForPort(
                        0,
                        TlsServerCredentials.newBuilder()
                                .keyManager(
                                        stream(Pem.encode(serving.chain())), stream(Pem.encode(serving.key())))
                                .build())
                .intercept(CertificateService.interceptor())
                .addService(new CertificateService(() -> authority, tokens, Clock.system()).serviceDefinition())
                .build()
                .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mesh != null) {
            mesh.close();
        }
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static ByteArrayInputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private CaClientOptions options(String serverName, String token) {
        return new CaClientOptions(
                "127.0.0.1:" + server.getPort(),
                authority.roots(),
                serverName,
                () -> token,
                "Kubernetes",
                KeyAlgorithm.ECDSA_P256,
                Duration.ofHours(24));
    }

    @Test
    void theProxyGetsTheIdentityItsTokenStandsForAndShowsItOnCerts() {
        String token = tokens.issue(SpiffeId.of("sample", "sleep"));
        mesh = new MeshFixture("CaClientEndToEndTest");
        mesh.ads.set(ResourceType.LISTENER, "1", outboundListener());
        mesh.ads.set(ResourceType.ROUTE, "1", routeConfig("http_proxy"));
        mesh.ads.set(ResourceType.CLUSTER, "1");
        ZonemeshProxy proxy = mesh.start(b -> b.ca(options(CA_NAME, token)));

        await().atMost(MeshFixture.WAIT).until(() -> proxy.workloadSecrets().current() != null);

        WorkloadSecret secret = proxy.workloadSecrets().current();
        assertThat(SpiffeIds.uriSan(secret.leaf())).contains("spiffe://cluster.local/ns/sample/sa/sleep");
        assertThat(secret.roots()).isEqualTo(authority.roots());
        assertThat(secret.key().getAlgorithm()).isEqualTo("EC");
        String certs = RawHttpClient.get(proxy.adminPort(), "http://127.0.0.1/certs").body();
        assertThat(certs)
                .contains("\"uri\": \"spiffe://cluster.local/ns/sample/sa/sleep\"")
                .contains("\"serial_number\": \"" + secret.leaf().getSerialNumber().toString(16) + "\"")
                .contains("\"ca_cert\"")
                .contains("\"days_until_expiration\": \"0\"");
    }

    @Test
    void aCaWhoseCertificateDoesNotNameTheServerNameIsNotTrusted() {
        String token = tokens.issue(SpiffeId.of("sample", "sleep"));
        ManagedChannel channel = CaClient.channel(options("istiod.other-system.svc", token));
        try {
            GrpcCertificateSigner signer = new GrpcCertificateSigner(channel, () -> token, "Kubernetes");
            String csr = Csrs.create(KeyPairs.generate(KeyAlgorithm.ECDSA_P256, random), SpiffeId.of("sample", "sleep"));

            assertThatThrownBy(() -> signer.sign(csr, Duration.ofHours(1)).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasMessageContaining("UNAVAILABLE");
        } finally {
            channel.shutdownNow();
        }
    }
}

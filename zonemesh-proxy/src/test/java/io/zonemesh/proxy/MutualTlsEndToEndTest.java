package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.endpoint;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.staticCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.identity.WorkloadSecret;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.IstioMtls;
import io.zonemesh.proxy.testing.IstioMtls.Mode;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.testing.TestIdentities;
import io.zonemesh.proxy.testing.LockedFakeScheduler;
import io.zonemesh.proxy.testing.TlsTestClient;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ResourceType;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.zonemesh.common.RandomSource;
import io.zonemesh.security.KeyAlgorithm;
import io.zonemesh.security.SpiffeId;
import io.zonemesh.security.SpiffeIds;
import io.zonemesh.security.ca.BootstrapTokens;
import io.zonemesh.security.ca.CertificateAuthority;
import io.zonemesh.security.ca.CertificateService;
import io.zonemesh.security.client.CertificateRotator;
import io.zonemesh.security.client.GrpcCertificateSigner;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two proxies on 127.0.0.1, a client sidecar ({@code sleep}) calling a server sidecar
 * ({@code httpbin}) through its inbound socket for application port 8080, with Istio's mTLS xDS
 * shapes (auto mTLS on the client's cluster, PeerAuthentication chains on the server's
 * virtualInbound) and certificates from zonemesh-security's CA.
 */
@ExtendWith(NettyLeakCheck.class)
class MutualTlsEndToEndTest {
    private static final int APP_PORT = 8080;
    private static final String HOST = "httpbin.sample.svc.cluster.local";
    private static final String CLUSTER = "outbound|8080||" + HOST;
    private static final String AUTHORITY = "httpbin.sample:8080";
    private static final String SERVER_ID = "spiffe://cluster.local/ns/sample/sa/httpbin";
    private static final String CLIENT_ID = "spiffe://cluster.local/ns/sample/sa/sleep";
    private static final TestIdentities CA = new TestIdentities("cluster.local");

    private WorkloadSecrets clientSecrets = new WorkloadSecrets();
    private WorkloadSecrets serverSecrets = new WorkloadSecrets();
    private MeshFixture server;
    private MeshFixture client;
    private EchoServer app;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ZonemeshProxy startServer(Mode mode) {
        server = new MeshFixture("MutualTlsServer");
        app = server.server("httpbin");
        server.ads.set(ResourceType.CLUSTER, "1", staticCluster("inbound|8080||", "127.0.0.1", app.port()));
        server.ads.set(
                ResourceType.LISTENER, "1", outboundListener(), IstioMtls.inboundListener(Map.of(APP_PORT, mode)));
        server.ads.set(ResourceType.ROUTE, "1", routeConfig("http_proxy"));
        if (serverSecrets.current() == null) {
            serverSecrets.update(CA.issue("sample", "httpbin"));
        }
        return server.start(b -> b.node(NodeIdentity.sidecar("httpbin-1", "sample", "httpbin"))
                .inboundAddresses(Map.of(APP_PORT, new InetSocketAddress("127.0.0.1", 0)))
                .workloadSecrets(serverSecrets));
    }

    @SuppressWarnings("deprecation") // Cluster.max_requests_per_connection: Envoy still honours it
    private ZonemeshProxy startClient(String expectedServerId) {
        client = new MeshFixture("MutualTlsClient");
        client.ads.set(
                ResourceType.CLUSTER,
                "1",
                IstioMtls.autoMtls(edsCluster(CLUSTER), "outbound_.8080_._." + HOST, List.of(expectedServerId))
                        // New upstream connections all along, so that rotations meet fresh handshakes.
                        .setMaxRequestsPerConnection(UInt32Value.of(5))
                        .build());
        client.ads.set(
                ResourceType.ENDPOINT,
                "1",
                cla(
                        CLUSTER,
                        LocalityLbEndpoints.newBuilder()
                                .setLoadBalancingWeight(UInt32Value.of(1))
                                .addLbEndpoints(IstioMtls.withSidecar(
                                        endpoint("127.0.0.1", server.proxy().inboundPort(APP_PORT))))
                                .build()));
        client.ads.set(ResourceType.LISTENER, "1", outboundListener());
        client.ads.set(
                ResourceType.ROUTE, "1", routeConfig("http_proxy", virtualHost("httpbin", List.of(AUTHORITY), CLUSTER)));
        if (clientSecrets.current() == null) {
            clientSecrets.update(CA.issue("sample", "sleep"));
        }
        return client.start(b -> b.workloadSecrets(clientSecrets));
    }

    private Response call(String path) {
        return RawHttpClient.get(client.proxy().outboundPort(), "http://" + AUTHORITY + path);
    }

    @Test
    void strictMutualTlsRequestIsAnsweredAndTheAppSeesTheClientIdentity() throws Exception {
        startServer(Mode.STRICT);
        startClient(SERVER_ID);

        Response response = call("/headers");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("httpbin GET /headers");
        WorkloadSecret sleep = clientSecrets.current();
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(sleep.leaf().getEncoded()));
        assertThat(app.requestHeaders().get(0).get("x-forwarded-client-cert"))
                .isEqualTo("By=" + SERVER_ID + ";Hash=" + hash + ";Subject=\"\";URI=" + CLIENT_ID);
        RequestRecord inbound = server.lastRecord();
        assertThat(inbound.downstreamPeerUriSan()).isEqualTo(CLIENT_ID);
        assertThat(inbound.downstreamLocalUriSan()).isEqualTo(SERVER_ID);
    }

    @Test
    void strictRefusesPlaintextOnTheInboundPortWithoutAnAppAnswer() {
        startServer(Mode.STRICT);

        try (RawHttpClient plain = RawHttpClient.connect(server.proxy().inboundPort(APP_PORT))) {
            plain.write("GET /headers HTTP/1.1\r\nHost: httpbin\r\n\r\n");
            assertThat(plain.closedByPeer()).isTrue();
        }
        assertThat(app.requests()).isZero();
    }

    @Test
    void aTlsHandshakeOnTheInboundPortShowsTheServersSpiffeIdentity() {
        startServer(Mode.STRICT);

        try (TlsTestClient tls = TlsTestClient.connect(server.proxy().inboundPort(APP_PORT), null)) {
            assertThat(SpiffeIds.uriSan(tls.serverCertificate())).contains(SERVER_ID);
        }
    }

    @Test
    void aClientCertificateFromAnotherRootIsRefused() {
        startServer(Mode.STRICT);
        WorkloadSecret stranger = new TestIdentities("other.example").issue("sample", "sleep");

        assertThatThrownBy(() -> {
                    try (TlsTestClient tls = TlsTestClient.connect(server.proxy().inboundPort(APP_PORT), stranger)) {
                        tls.get("/headers");
                    }
                })
                .isInstanceOfAny(IOException.class, UncheckedIOException.class);
        assertThat(app.requests()).isZero();
    }

    @Test
    void permissiveAnswersPlaintextAndMutualTlsOnTheSamePort() throws IOException {
        startServer(Mode.PERMISSIVE);
        startClient(SERVER_ID);

        Response plain = RawHttpClient.exchange(
                server.proxy().inboundPort(APP_PORT),
                "GET /plain HTTP/1.1\r\nHost: httpbin\r\nx-forwarded-client-cert: By=forged\r\nConnection: close\r\n\r\n");
        Response mutual = call("/mtls");

        assertThat(plain.status()).isEqualTo(200);
        assertThat(mutual.status()).isEqualTo(200);
        // A plaintext request's XFCC is removed (Envoy sanitizes it on a connection without mTLS).
        assertThat(app.requestHeaders().get(0).get("x-forwarded-client-cert")).isNull();
        assertThat(app.requestHeaders().get(1).get("x-forwarded-client-cert")).contains("URI=" + CLIENT_ID);
        try (TlsTestClient tls = TlsTestClient.connect(server.proxy().inboundPort(APP_PORT), clientSecrets.current())) {
            assertThat(tls.get("/direct")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aServerWithoutTheExpectedIdentityIsAnUpstreamConnectFailure() {
        startServer(Mode.STRICT);
        startClient("spiffe://cluster.local/ns/sample/sa/reviews");

        Response response = call("/headers");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body())
                .isEqualTo("upstream connect error or disconnect/reset before headers. reset reason: connection failure, "
                        + "transport failure reason: TLS_error:|268435581:SSL routines:OPENSSL_internal:"
                        + "CERTIFICATE_VERIFY_FAILED:TLS_error_end");
        assertThat(client.lastRecord().flags()).contains(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
        assertThat(app.requests()).isZero();
    }

    @Test
    void aConnectionOpenedBeforeARotationKeepsWorkingAndANewOnePresentsTheNewCertificate() throws IOException {
        startServer(Mode.STRICT);
        WorkloadSecret sleep = CA.issue("sample", "sleep");
        WorkloadSecret before = serverSecrets.current();

        try (TlsTestClient old = TlsTestClient.connect(server.proxy().inboundPort(APP_PORT), sleep)) {
            assertThat(old.get("/1")).startsWith("HTTP/1.1 200");
            WorkloadSecret rotated = CA.issue("sample", "httpbin");
            serverSecrets.update(rotated);

            assertThat(old.get("/2")).startsWith("HTTP/1.1 200");
            assertThat(old.serverCertificate().getSerialNumber())
                    .isEqualTo(before.leaf().getSerialNumber());
            try (TlsTestClient fresh = TlsTestClient.connect(server.proxy().inboundPort(APP_PORT), sleep)) {
                assertThat(fresh.serverCertificate().getSerialNumber())
                        .isEqualTo(rotated.leaf().getSerialNumber());
                assertThat(fresh.get("/3")).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void rotationsUnderSteadyLoadFailNoRequest() {
        startServer(Mode.STRICT);
        startClient(SERVER_ID);
        int requests = 150;
        int failed = 0;
        for (int i = 0; i < requests; i++) {
            if (i % 30 == 15) {
                // Both sides rotate while connections from before stay in the pool.
                serverSecrets.update(CA.issue("sample", "httpbin"));
                clientSecrets.update(CA.issue("sample", "sleep"));
            }
            if (call("/load/" + i).status() != 200) {
                failed++;
            }
        }
        assertThat(failed).isZero();
        assertThat(app.requests()).isEqualTo(requests);
    }

    @Test
    void certificatesRotatedByTheCaClientUnderSteadyLoadFailNoRequest() throws Exception {
        LockedFakeScheduler time = new LockedFakeScheduler();
        SecureRandom random = new SecureRandom();
        CertificateAuthority authority = CertificateAuthority.selfSigned("cluster.local", time, random);
        BootstrapTokens tokens = new BootstrapTokens(random);
        String name = InProcessServerBuilder.generateName();
        Server caServer = InProcessServerBuilder.forName(name)
                .directExecutor()
                .intercept(CertificateService.interceptor())
                .addService(new CertificateService(() -> authority, tokens, time).serviceDefinition())
                .build()
                .start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        // Both proxies verify peers at the fake time, the time the CA signs at.
        serverSecrets = new WorkloadSecrets(time);
        clientSecrets = new WorkloadSecrets(time);
        String serverToken = tokens.issue(SpiffeId.of("sample", "httpbin"));
        String clientToken = tokens.issue(SpiffeId.of("sample", "sleep"));
        try (CertificateRotator serverRotator = rotator(channel, serverToken, time);
                CertificateRotator clientRotator = rotator(channel, clientToken, time)) {
            serverRotator.addListener(c -> serverSecrets.update(WorkloadSecret.from(c)));
            clientRotator.addListener(c -> clientSecrets.update(WorkloadSecret.from(c)));
            serverRotator.start();
            clientRotator.start();
            startServer(Mode.STRICT);
            startClient(SERVER_ID);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 5_000 && !stop.get(); i++) {
                    sent.incrementAndGet();
                    if (call("/load/" + i).status() != 200) {
                        failed.incrementAndGet();
                    }
                }
            });
            List<BigInteger> serials = new ArrayList<>();
            for (int rotation = 0; rotation < 3; rotation++) {
                int before = sent.get();
                await().atMost(MeshFixture.WAIT).until(() -> sent.get() >= before + 20);
                WorkloadSecret old = serverSecrets.current();
                // Past notBefore + 0.5 x 1h (+1% jitter): both rotators rotate now.
                time.advance(Duration.ofMinutes(31));
                assertThat(serverSecrets.current()).isNotSameAs(old);
                serials.add(serverSecrets.current().leaf().getSerialNumber());
            }
            int after = sent.get();
            await().atMost(MeshFixture.WAIT).until(() -> sent.get() >= after + 20);
            stop.set(true);
            load.get(60, TimeUnit.SECONDS);

            assertThat(failed.get()).isZero();
            assertThat(serials).doesNotHaveDuplicates().hasSize(3);
            assertThat(SpiffeIds.uriSan(clientSecrets.current().leaf())).contains(CLIENT_ID);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            caServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static CertificateRotator rotator(ManagedChannel channel, String token, LockedFakeScheduler time) {
        return new CertificateRotator(
                new GrpcCertificateSigner(channel, () -> token, "Kubernetes"),
                KeyAlgorithm.ECDSA_P256,
                Duration.ofHours(1),
                time,
                time,
                RandomSource.seeded(7));
    }
}

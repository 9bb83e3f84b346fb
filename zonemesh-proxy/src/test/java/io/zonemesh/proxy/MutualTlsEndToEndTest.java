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
import io.zonemesh.proxy.testing.TlsTestClient;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.security.SpiffeIds;
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

    private final WorkloadSecrets clientSecrets = new WorkloadSecrets();
    private final WorkloadSecrets serverSecrets = new WorkloadSecrets();
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
        serverSecrets.update(CA.issue("sample", "httpbin"));
        return server.start(b -> b.node(NodeIdentity.sidecar("httpbin-1", "sample", "httpbin"))
                .inboundAddresses(Map.of(APP_PORT, new InetSocketAddress("127.0.0.1", 0)))
                .workloadSecrets(serverSecrets));
    }

    private ZonemeshProxy startClient(String expectedServerId) {
        client = new MeshFixture("MutualTlsClient");
        client.ads.set(
                ResourceType.CLUSTER,
                "1",
                IstioMtls.autoMtls(edsCluster(CLUSTER), "outbound_.8080_._." + HOST, List.of(expectedServerId))
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
        clientSecrets.update(CA.issue("sample", "sleep"));
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
}

package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.grpc.Server;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.FakeAdsServer;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ResourceType;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TLS origination from a cluster's {@code UpstreamTlsContext}, against a TLS upstream whose
 * certificate (src/test/resources/tls, made with openssl: a test CA, a server certificate for
 * {@code reviews.example.com} with DNS, URI and IP SANs, and an unrelated CA) is checked as Envoy
 * checks it.
 */
@ExtendWith(NettyLeakCheck.class)
class TlsOriginationEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CLUSTER = "outbound|443||reviews.example.com";
    private static final String AUTHORITY = "reviews.example.com:443";

    private final FakeAdsServer ads = new FakeAdsServer();
    private EventLoopGroup group;
    private Server adsServer;
    private EchoServer upstream;
    private ZonemeshProxy proxy;

    private static String resource(String name) {
        try {
            return new File(TlsOriginationEndToEndTest.class
                            .getResource("/tls/" + name)
                            .toURI())
                    .getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("TlsOriginationEndToEndTest"));
        adsServer = ads.startOnLoopback();
        upstream = new EchoServer(
                "tls",
                group,
                SslContextBuilder.forServer(new File(resource("server.pem")), new File(resource("server.key")))
                        .sslProvider(SslProvider.JDK)
                        .build());
    }

    @AfterEach
    void tearDown() {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
        adsServer.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static SubjectAltNameMatcher san(SubjectAltNameMatcher.SanType type, String value) {
        return SubjectAltNameMatcher.newBuilder()
                .setSanType(type)
                .setMatcher(StringMatcher.newBuilder().setExact(value))
                .build();
    }

    private static TransportSocket tls(CertificateValidationContext validation) {
        return tls(validation, "reviews.example.com");
    }

    private static TransportSocket tls(CertificateValidationContext validation, String sni) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
        if (validation != null) {
            common.setValidationContext(validation);
        }
        return TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                        .setSni(sni)
                        .setCommonTlsContext(common)
                        .build()))
                .build();
    }

    private static CertificateValidationContext trusting(String ca, SubjectAltNameMatcher... sans) {
        return CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setFilename(resource(ca)))
                .addAllMatchTypedSubjectAltNames(List.of(sans))
                .build();
    }

    private Response start(TransportSocket socket) {
        ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(CLUSTER)
                        .setConnectTimeout(millis(2000))
                        .setTransportSocket(socket)
                        .build());
        ads.set(ResourceType.ENDPOINT, "1", cla(CLUSTER, locality("r", "z", 0, upstream.address())));
        ads.set(ResourceType.LISTENER, "1", outboundListener());
        ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig("http_proxy", virtualHost("reviews", List.of(AUTHORITY), CLUSTER)));
        proxy = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + adsServer.getPort())
                .node(NodeIdentity.sidecar("sleep-1", "sample", "sleep"))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .shutdownTimeout(Duration.ofSeconds(5))
                .build()
                .start();
        await().atMost(WAIT).until(proxy::ready);
        return RawHttpClient.get(proxy.outboundPort(), "http://" + AUTHORITY + "/reviews/1");
    }

    @Test
    void verifiesTheServerAgainstTheTrustedCaAndItsSubjectAltName() {
        Response response = start(tls(trusting(
                "ca.pem", san(SubjectAltNameMatcher.SanType.URI, "spiffe://cluster.local/ns/sample/sa/reviews"))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tls GET /reviews/1");
    }

    @Test
    void aCertificateWithoutTheExpectedSanIsAConnectFailure() {
        Response response =
                start(tls(trusting("ca.pem", san(SubjectAltNameMatcher.SanType.DNS, "ratings.example.com"))));

        assertThat(response.status()).isEqualTo(503);
        // Envoy: the SAN matcher fails the handshake's certificate verification.
        assertThat(response.body())
                .endsWith("reset reason: connection failure, transport failure reason: "
                        + "TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end");
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void aServerSignedByAnotherCaIsRejected() {
        Response response = start(tls(trusting("other-ca.pem")));

        assertThat(response.status()).isEqualTo(503);
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void theSniIsNotCheckedAgainstTheCertificateOnlyTheSanMatchersAre() {
        Response response = start(tls(trusting("ca.pem"), "other.example.com"));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void withoutAValidationContextAnyCertificateIsAccepted() {
        Response response = start(tls(null));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void turningTlsOnNeverReusesAPlaintextConnectionMadeBefore() {
        try (EchoServer plain = new EchoServer("plain", group)) {
            ads.set(
                    ResourceType.CLUSTER,
                    "1",
                    edsCluster(CLUSTER).setConnectTimeout(millis(2000)).build());
            ads.set(ResourceType.ENDPOINT, "1", cla(CLUSTER, locality("r", "z", 0, plain.address())));
            ads.set(ResourceType.LISTENER, "1", outboundListener());
            ads.set(
                    ResourceType.ROUTE,
                    "1",
                    routeConfig("http_proxy", virtualHost("reviews", List.of(AUTHORITY), CLUSTER)));
            proxy = ZonemeshProxy.builder()
                    .xdsServer("127.0.0.1:" + adsServer.getPort())
                    .node(NodeIdentity.sidecar("sleep-1", "sample", "sleep"))
                    .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                    .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                    .eventLoopGroup(group)
                    .shutdownTimeout(Duration.ofSeconds(5))
                    .build()
                    .start();
            await().atMost(WAIT).until(proxy::ready);
            // Leaves a keep-alive plaintext connection idle in the pool.
            assertThat(RawHttpClient.get(proxy.outboundPort(), "http://" + AUTHORITY + "/before")
                            .status())
                    .isEqualTo(200);
            assertThat(plain.openConnections()).isEqualTo(1);

            ads.set(
                    ResourceType.CLUSTER,
                    "2",
                    edsCluster(CLUSTER)
                            .setConnectTimeout(millis(2000))
                            .setTransportSocket(tls(null))
                            .build());
            await().atMost(WAIT)
                    .until(() -> proxy.snapshot().cluster(CLUSTER) != null
                            && proxy.snapshot().cluster(CLUSTER).config().tls() != null);
            Response response = RawHttpClient.get(proxy.outboundPort(), "http://" + AUTHORITY + "/after");

            // A TLS handshake with the plaintext server fails (UF); the request must not go out
            // in the clear on the connection pooled before TLS was turned on.
            // (The server decodes the ClientHello as a garbage request without a Host.)
            assertThat(response.status()).isEqualTo(503);
            assertThat(plain.hosts()).filteredOn(AUTHORITY::equals).hasSize(1);
            // The pooled plaintext connection is closed once the new settings are in force.
            await().atMost(WAIT).until(() -> plain.connectionsAccepted() >= 1 && plain.openConnections() == 0);
        }
    }

    @Test
    void anUnreadableCaFileIsNacked() {
        ads.set(
                ResourceType.CLUSTER,
                "1",
                edsCluster(CLUSTER)
                        .setTransportSocket(tls(CertificateValidationContext.newBuilder()
                                .setTrustedCa(DataSource.newBuilder().setFilename("/nonexistent/ca.pem"))
                                .build()))
                        .build());
        proxy = ZonemeshProxy.builder()
                .xdsServer("127.0.0.1:" + adsServer.getPort())
                .node(NodeIdentity.sidecar("sleep-1", "sample", "sleep"))
                .outboundAddress(new InetSocketAddress("127.0.0.1", 0))
                .adminAddress(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .shutdownTimeout(Duration.ofSeconds(5))
                .build()
                .start();

        var nack = ads.awaitRequest(ResourceType.CLUSTER, r -> r.hasErrorDetail(), WAIT);

        assertThat(nack.getErrorDetail().getMessage())
                .contains("transport_socket.typed_config.common_tls_context.validation_context.trusted_ca.filename");
    }
}

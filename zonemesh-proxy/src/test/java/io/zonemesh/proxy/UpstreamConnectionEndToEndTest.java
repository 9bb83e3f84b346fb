package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.ProxyFixture.WAIT;
import static io.zonemesh.proxy.testing.ProxyFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.EchoServer.Behaviour;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How the proxy uses, reuses and gives up upstream connections, on real sockets. */
@ExtendWith(NettyLeakCheck.class)
class UpstreamConnectionEndToEndTest {
    private static EventLoopGroup group;
    private ProxyFixture fixture;

    @BeforeAll
    static void startGroup() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("UpstreamConnectionEndToEndTest"));
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private ProxyFixture start() {
        fixture = new ProxyFixture(group, b -> b).start(ProxyFixture.cluster().build());
        return fixture;
    }

    @Test
    void upstreamClosingBeforeTheResponseIs503UcAndReportedAsAReset() {
        start().upstream.behaviour(Behaviour.CLOSE);

        Response response = RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/x");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).endsWith("reset reason: connection termination");
        assertThat(fixture.balancers.get(ProxyFixture.CLUSTER).events())
                .containsExactly("failure " + fixture.upstream.address() + " RESET");
    }

    @Test
    void aResponseOverTenMebibytesIsRelayedWhole() {
        start().upstream.behaviour(Behaviour.HUGE);

        Response response = RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/big");

        // Envoy puts no limit on a streamed response body; this used to be a 502 UPE.
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).hasSize(10 * 1024 * 1024 + 1);
        assertThat(fixture.balancers.get(ProxyFixture.CLUSTER).events())
                .containsExactly("response " + fixture.upstream.address() + " 200");
    }

    @Test
    void idempotentRequestOnAPooledConnectionTheServerDroppedIsRetriedOnAFreshOne() {
        start().upstream.behaviour(Behaviour.FIRST_ONLY);

        try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
            assertThat(client.send(request("GET", "/1", "")).status()).isEqualTo(200);
            Response second = client.send(request("GET", "/2", ""));

            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).isEqualTo("upstream GET /2");
        }
        assertThat(fixture.upstream.connectionsAccepted()).isEqualTo(2);
        assertThat(fixture.balancers.get(ProxyFixture.CLUSTER).events())
                .containsExactly(
                        "response " + fixture.upstream.address() + " 200",
                        "response " + fixture.upstream.address() + " 200");
    }

    @Test
    void nonIdempotentRequestIsNotRetriedWhenTheConnectionDrops() {
        start().upstream.behaviour(Behaviour.FIRST_ONLY);

        try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
            assertThat(client.send(request("GET", "/1", "")).status()).isEqualTo(200);
            Response post = client.send(request("POST", "/orders", "Content-Length: 2\r\n") + "{}");

            assertThat(post.status()).isEqualTo(503);
        }
        assertThat(fixture.upstream.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void idleTimeoutClosesPooledConnections() {
        HttpProtocolOptions shortIdle = HttpProtocolOptions.newBuilder()
                .setCommonHttpProtocolOptions(io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.newBuilder()
                        .setIdleTimeout(EnvoyResources.millis(100)))
                .build();
        fixture = new ProxyFixture(group, b -> b)
                .start(ProxyFixture.cluster()
                        .putTypedExtensionProtocolOptions(
                                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(shortIdle))
                        .build());

        assertThat(RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/")
                        .status())
                .isEqualTo(200);

        await().atMost(WAIT).until(() -> fixture.upstream.openConnections() == 0);
        assertThat(RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/")
                        .status())
                .isEqualTo(200);
        assertThat(fixture.upstream.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void forwardsBodyInOriginFormWithoutHopByHopHeaders() {
        start();

        Response response = RawHttpClient.exchange(
                fixture.port(),
                "POST http://" + ProxyFixture.AUTHORITY
                        + "/echo?q=1 HTTP/1.1\r\nHost: ignored.example\r\nProxy-Connection: keep-alive\r\n"
                        + "Transfer-Encoding: chunked\r\nConnection: close, X-Hop\r\nX-Hop: secret\r\n\r\n"
                        + "5\r\nhello\r\n0\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("upstream POST /echo?q=1");
        assertThat(response.header("connection")).isEqualTo("close");
        assertThat(fixture.upstream.hosts()).containsExactly(ProxyFixture.AUTHORITY);
    }

    @Test
    void proxyCredentialsAreConsumedByTheProxyAndNeverReachTheApplication() {
        start();

        Response response = RawHttpClient.exchange(
                fixture.port(),
                request(
                        "GET",
                        "/private",
                        "Proxy-Authorization: Basic c2VjcmV0OnNlY3JldA==\r\nProxy-Authenticate: Basic\r\n"
                                + "Proxy-Connection: keep-alive\r\nConnection: close\r\n"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(fixture.upstream.requestHeaders())
                .singleElement()
                .satisfies(headers -> assertThat(headers.names())
                        .map(name -> name.toLowerCase(Locale.ROOT))
                        .doesNotContain("proxy-authorization", "proxy-authenticate", "proxy-connection"));
    }

    @Test
    void headRequestsGetHeadersWithoutBody() {
        start();

        try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
            client.write(request("HEAD", "/x", ""));
            String head = client.readHead();
            assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("content-length: 16");
            Response next = client.send(request("GET", "/after-head", ""));
            assertThat(next.body()).isEqualTo("upstream GET /after-head");
        }
    }
}

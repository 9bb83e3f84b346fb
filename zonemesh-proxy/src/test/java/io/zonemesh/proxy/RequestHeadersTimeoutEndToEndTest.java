package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code request_headers_timeout}: a client that starts a request and stalls in its headers is cut off. */
@ExtendWith(NettyLeakCheck.class)
class RequestHeadersTimeoutEndToEndTest {
    private static EventLoopGroup group;
    private ProxyFixture fixture;

    @BeforeAll
    static void startGroup() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("RequestHeadersTimeoutEndToEndTest"));
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void start(Duration timeout) {
        fixture = new ProxyFixture(group, b -> b.requestHeadersTimeout(timeout))
                .start(ProxyFixture.cluster().build());
    }

    @Test
    void stalledHeadersGet408AndTheConnectionCloses() {
        start(Duration.ofMillis(300));

        try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
            client.write("GET http://" + ProxyFixture.AUTHORITY + "/slow HTTP/1.1\r\nHost: " + ProxyFixture.AUTHORITY
                    + "\r\nX-Trickle: a");
            Response response = client.read();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).isEqualTo("request header timeout");
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(fixture.upstream.requests()).isZero();
    }
}

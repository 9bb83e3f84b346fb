package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.H2Client;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP/2 with prior knowledge (h2c) on the plaintext outbound listener, next to HTTP/1.1. */
@ExtendWith(NettyLeakCheck.class)
class Http2PriorKnowledgeEndToEndTest {
    private static EventLoopGroup group;
    private final List<io.zonemesh.proxy.http.RequestRecord> records =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private ProxyFixture fixture;

    @BeforeAll
    static void startGroup() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("Http2PriorKnowledgeEndToEndTest"));
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void servesConcurrentStreamsOfOneH2cConnection() throws Exception {
        fixture = new ProxyFixture(group, b -> b.requestObserver(records::add))
                .start(ProxyFixture.cluster().build());

        String base = "http://" + ProxyFixture.AUTHORITY;
        List<String> replies =
                H2Client.get(group, fixture.port(), null, null, List.of(base + "/a", base + "/b", base + "/c"));

        assertThat(replies).containsExactly("200 upstream GET /a", "200 upstream GET /b", "200 upstream GET /c");
        assertThat(fixture.upstream.hosts()).containsOnly(ProxyFixture.AUTHORITY);
        assertThat(fixture.upstream.requestHeaders())
                .allSatisfy(h -> assertThat(h.names())
                        .noneMatch(n -> n.toLowerCase(java.util.Locale.ROOT).startsWith("x-http2-")));
        assertThat(records).hasSize(3).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("HTTP/2"));
    }

    @Test
    void http11StillWorksOnTheSameListener() {
        fixture = new ProxyFixture(group, b -> b).start(ProxyFixture.cluster().build());

        assertThat(RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/one")
                        .body())
                .isEqualTo("upstream GET /one");
    }
}

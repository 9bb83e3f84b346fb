package io.zonemesh.cli.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EchoServerTest {
    // The transport LocalMesh runs echo apps on (epoll on Linux): a failed bind looks different
    // on each, and restart() must recognise both.
    private final EventLoopGroup group = Transport.preferred().newGroup(1, new DefaultThreadFactory("echo-test"));

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void answersLikeIstiosHelloworldAndCanStopAndRestartOnItsPort() throws Exception {
        EchoServer server = new EchoServer(group, "v7", "pod-1");
        int port = server.start("127.0.0.1", 0);
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/hello?delay=20");
        HttpResponse<String> res = client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("Hello version: v7, instance: pod-1\n");

        server.stop();
        assertThat(server.running()).isFalse();
        assertThat(server.restart()).isEqualTo(port);
        assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                        .body())
                .startsWith("Hello version: v7");
        server.close();
    }

    @Test
    void restartWaitsForAnotherSocketToLetGoOfItsPort() throws Exception {
        EchoServer server = new EchoServer(group, "v1", "pod-2");
        int port = server.start("127.0.0.1", 0);
        server.stop();
        // An outgoing connection that was given the free port as its ephemeral port, for a moment.
        // The listening socket itself lingers until the event loop's selector drops its key, which
        // is also why restart() must retry.
        java.net.Socket squatter = new java.net.Socket();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .ignoreException(java.net.BindException.class)
                .until(() -> {
                    squatter.bind(new java.net.InetSocketAddress("127.0.0.1", port));
                    return true;
                });
        var releaser = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            releaser.schedule(
                    () -> {
                        squatter.close();
                        return null;
                    },
                    200,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(server.restart()).isEqualTo(port);
            assertThat(squatter.isClosed()).isTrue();
        } finally {
            releaser.shutdownNow();
            squatter.close();
            server.close();
        }
    }

    @Test
    void readsABoundedDelayFromTheQuery() {
        assertThat(EchoServer.delayMillis("/x?delay=250")).isEqualTo(250);
        assertThat(EchoServer.delayMillis("/x?a=1&delay=99999")).isEqualTo(10_000);
        assertThat(EchoServer.delayMillis("/x?delay=abc")).isZero();
        assertThat(EchoServer.delayMillis("/x")).isZero();
    }
}

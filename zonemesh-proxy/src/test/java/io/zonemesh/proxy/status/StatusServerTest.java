package io.zonemesh.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Istio's readiness endpoint on the status port, over a real socket. */
class StatusServerTest {
    private final AtomicBoolean ready = new AtomicBoolean();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final StatusServer status = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), ready::get);

    @AfterEach
    void close() {
        status.close();
    }

    private HttpResponse<String> get(String path, String method) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + status.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyFollowsTheProxyUntilDrainingThenStays503() throws Exception {
        HttpResponse<String> before = get("/healthz/ready", "GET");
        assertThat(before.statusCode()).isEqualTo(503);
        assertThat(before.body()).startsWith("NOT_READY");

        ready.set(true);
        HttpResponse<String> live = get("/healthz/ready", "GET");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("LIVE\n");
        assertThat(get("/healthz/ready?x=1", "HEAD").statusCode()).isEqualTo(200);

        ready.set(false);
        assertThat(get("/healthz/ready", "GET").statusCode()).isEqualTo(503);

        ready.set(true);
        status.drain();
        HttpResponse<String> draining = get("/healthz/ready", "GET");
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(draining.body()).isEqualTo("DRAINING\n");
    }

    @Test
    void servesNothingElse() throws Exception {
        ready.set(true);
        HttpResponse<String> other = get("/stats/prometheus", "GET");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("/healthz/ready");
        assertThat(get("/healthz/ready", "POST").statusCode()).isEqualTo(405);
    }

    @Test
    void aTakenPortIsAnErrorNamingTheAddress() {
        InetSocketAddress taken = new InetSocketAddress("127.0.0.1", status.port());
        assertThatThrownBy(() -> StatusServer.start(taken, () -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("status port " + taken + ": cannot bind");
    }
}

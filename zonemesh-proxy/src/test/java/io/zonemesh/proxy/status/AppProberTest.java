package io.zonemesh.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Istio's {@code /app-health/<container>/<probe>} on the status port, against a real application
 * on 127.0.0.1: the application's status comes back, redirects count as 200, a TCP probe is 200
 * when it connects, and a probe that cannot reach the application is 500.
 */
class AppProberTest {
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final HttpServer app = app();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private StatusServer status;

    private HttpServer app() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
            server.createContext("/ok", exchange -> {
                seen.put("host", exchange.getRequestHeaders().getFirst("Host"));
                seen.put("x-probe", String.valueOf(exchange.getRequestHeaders().getFirst("X-Probe")));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.createContext("/moved", exchange -> {
                exchange.getResponseHeaders().add("Location", "/ok");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            });
            server.createContext("/sick", exchange -> {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() {
        if (status != null) {
            status.close();
        }
        app.stop(0);
    }

    private int get(String path) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + status.port() + path))
                                .header("X-Probe", "kubelet")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void answersWithTheApplicationsStatus() throws Exception {
        int port = app.getAddress().getPort();
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Duration timeout = Duration.ofSeconds(2);
        AppProber prober = new AppProber(
                Map.of(
                        "/app-health/app/readyz", AppProbe.http(port, "ok", null, Map.of(), timeout),
                        "/app-health/app/livez", AppProbe.http(port, "/moved", null, Map.of(), timeout),
                        "/app-health/app/startupz", AppProbe.http(port, "/sick", null, Map.of(), timeout),
                        "/app-health/db/readyz", AppProbe.tcp(port, null, timeout),
                        "/app-health/db/livez", AppProbe.tcp(closed, null, timeout),
                        "/app-health/gone/readyz", AppProbe.http(closed, "/ok", null, Map.of(), timeout)),
                null);
        status = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), () -> true, prober);

        assertThat(get("/app-health/app/readyz")).isEqualTo(204);
        // The kubelet's headers go on; Host names the application's port, not the status port.
        assertThat(seen).containsEntry("host", "127.0.0.1:" + port).containsEntry("x-probe", "kubelet");
        assertThat(get("/app-health/app/livez")).isEqualTo(200);
        assertThat(get("/app-health/app/startupz")).isEqualTo(503);
        assertThat(get("/app-health/db/readyz")).isEqualTo(200);
        assertThat(get("/app-health/db/livez")).isEqualTo(500);
        assertThat(get("/app-health/gone/readyz")).isEqualTo(500);
        assertThat(get("/app-health/nobody/readyz")).isEqualTo(404);
        assertThat(get("/healthz/ready")).isEqualTo(200);
    }

    @Test
    void withoutAProberTheAppHealthPathsAreNotServed() throws Exception {
        status = StatusServer.start(new InetSocketAddress("127.0.0.1", 0), () -> true);
        assertThat(get("/app-health/app/readyz")).isEqualTo(404);
    }
}

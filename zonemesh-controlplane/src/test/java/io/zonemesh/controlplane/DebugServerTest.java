package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The status port's own pages, and the 404 page that lists them. */
class DebugServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anUnknownPathListsEveryPageIncludingThoseAddedAfterTheStart() throws Exception {
        Map<String, Supplier<Object>> pages = Map.of("/debug/configz", () -> Map.of("k", "v"));
        try (DebugServer server = new DebugServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                () -> Map.of(),
                () -> Map.of(),
                () -> false,
                pages,
                () -> "m 1\n")) {
            server.addHandler("/debug/explain", ex -> ex.sendResponseHeaders(204, -1));

            HttpResponse<String> missing = get(server, "/nope");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body())
                    .isEqualTo("not found; try /debug/configz, /debug/explain, /debug/mesh, /debug/syncz, /metrics,"
                            + " /ready\n");
            assertThat(get(server, "/ready").statusCode())
                    .as("caches not synced")
                    .isEqualTo(503);
            assertThat(get(server, "/debug/configz").body()).contains("\"k\" : \"v\"");
            assertThat(get(server, "/metrics").body()).isEqualTo("m 1\n");
        }
    }

    private HttpResponse<String> get(DebugServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

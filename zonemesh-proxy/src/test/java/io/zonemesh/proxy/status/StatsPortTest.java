package io.zonemesh.proxy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Envoy's Prometheus listener (15090) and pilot-agent's merged-metrics path on 15020. */
class StatsPortTest {
    private static final String METRICS =
            "# TYPE istio_requests_total counter\nistio_requests_total{reporter=\"source\"} 3\n";

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String metrics() {
        return METRICS;
    }

    private HttpResponse<String> get(StatusServer server, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStatsListenerServesPrometheusTextAndNothingElse() throws Exception {
        try (StatusServer server =
                StatusServer.startStats(new InetSocketAddress("127.0.0.1", 0), StatsPortTest::metrics)) {
            HttpResponse<String> scrape = get(server, "/stats/prometheus");

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).isEqualTo(METRICS);
            assertThat(scrape.headers().firstValue("content-type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(get(server, "/healthz/ready").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void theAgentPortServesTheProxysMetricsBesideReadiness() throws Exception {
        try (StatusServer server =
                StatusServer.start(new InetSocketAddress("127.0.0.1", 0), () -> true, null, StatsPortTest::metrics)) {
            assertThat(get(server, "/stats/prometheus").body()).isEqualTo(METRICS);
            assertThat(get(server, "/healthz/ready").statusCode()).isEqualTo(200);
        }
    }
}

package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.zonemesh.model.MeshState;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /debug/explain}'s errors name the parameter and what was expected. */
class ExplainHandlerTest {
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        server.createContext("/debug/explain", new ExplainHandler(MeshState::empty, List::of));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(String query) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + server.getAddress().getPort() + "/debug/explain?" + query))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void missingParametersAreABadRequest() throws Exception {
        HttpResponse<String> r = get("proxy=sleep.sample");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("expected: /debug/explain?proxy=<pod.namespace>&cluster=");
    }

    @Test
    void anUnknownHostOrProxyIsNotFound() throws Exception {
        HttpResponse<String> host = get("proxy=sleep.sample&host=nosuch.sample.svc.cluster.local");
        assertThat(host.statusCode()).isEqualTo(404);
        assertThat(host.body()).contains("host: nosuch.sample.svc.cluster.local (expected: a service hostname");

        HttpResponse<String> proxy = get("proxy=sleep&cluster=outbound%7C80%7C%7Cx");
        assertThat(proxy.statusCode()).isEqualTo(404);
        assertThat(proxy.body()).contains("proxy: sleep (expected: <pod>.<namespace>)");

        HttpResponse<String> cluster = get("proxy=sleep.sample&cluster=outbound%7C80%7C%7Cx");
        assertThat(cluster.statusCode()).isEqualTo(404);
        assertThat(cluster.body()).contains("cluster: outbound|80||x (expected one of the proxy's outbound clusters");
    }
}

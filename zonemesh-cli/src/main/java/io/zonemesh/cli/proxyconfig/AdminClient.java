package io.zonemesh.cli.proxyconfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs JSON from one proxy's admin API (zonemesh-proxy's or Envoy's: the same paths and shapes). */
public final class AdminClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final String proxy;

    /**
     * @param hostPort the admin address, {@code host:port}
     * @param proxy how errors name the proxy (its pod, or the address)
     */
    public AdminClient(String hostPort, String proxy) {
        this.base = "http://" + hostPort;
        this.proxy = proxy;
    }

    /** {@code path} (with its query) as JSON; a refused connection or a non-200 is an error naming both. */
    JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(text(path));
    }

    /** {@code path} (with its query) as text; a refused connection or a non-200 is an error naming both. */
    public String text(String path) throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = client.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException(
                    "failed to execute command on " + proxy + ": GET " + base + path
                            + ": connection refused (is the proxy running, its admin port forwarded?)",
                    e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("failed to execute command on " + proxy + ": GET " + base + path + ": "
                    + response.statusCode() + " " + response.body().strip());
        }
        return response.body();
    }
}

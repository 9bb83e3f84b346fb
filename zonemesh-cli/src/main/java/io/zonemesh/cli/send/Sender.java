package io.zonemesh.cli.send;

import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sends requests through a sidecar the way an application configured with
 * {@code http_proxy=http://127.0.0.1:<outbound port>} does: absolute-form requests to the proxy,
 * one after another, over a kept-alive connection.
 */
public final class Sender {
    // Exactly one of client and direct is set: through a sidecar (HTTP proxy) or straight to a gateway.
    private final @Nullable HttpClient client;
    private final Duration timeout;
    private final @Nullable InetSocketAddress direct;

    public Sender(InetSocketAddress proxy, Duration timeout) {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(ProxySelector.of(proxy))
                .connectTimeout(timeout)
                .build();
        this.timeout = timeout;
        this.direct = null;
    }

    private Sender(Duration timeout, InetSocketAddress direct) {
        this.client = null;
        this.timeout = timeout;
        this.direct = direct;
    }

    /**
     * A sender that connects straight to {@code gateway} and names the URL's authority in
     * {@code Host}, as a client outside the mesh reaching an ingress gateway does.
     */
    public static Sender throughGateway(InetSocketAddress gateway, Duration timeout) {
        return new Sender(timeout, gateway);
    }

    /**
     * Sends {@code count} requests and tallies them.
     *
     * @param headers {@code Name: value} pairs
     */
    public SendResult send(URI url, int count, String method, List<String> headers, @Nullable String body) {
        if (count < 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: >= 0)");
        }
        for (String h : headers) {
            if (h.indexOf(':') <= 0) {
                throw new IllegalArgumentException("header: '" + h + "' (expected: 'Name: value')");
            }
        }
        InetSocketAddress gateway = direct;
        if (gateway != null) {
            return sendDirect(gateway, url, count, method, headers, body);
        }
        HttpClient client = Objects.requireNonNull(this.client, "set when direct is not");
        Map<String, Integer> responses = new HashMap<>();
        Map<String, Integer> causes = new HashMap<>();
        int errors = 0;
        for (int i = 0; i < count; i++) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            for (String h : headers) {
                int colon = h.indexOf(':');
                rb.header(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
            }
            try {
                HttpResponse<String> res = client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() / 100 == 2) {
                    responses.merge(firstLine(res.body()), 1, Integer::sum);
                } else {
                    errors++;
                    String flags = res.headers()
                            .firstValue("x-zonemesh-response-flags")
                            .orElse("");
                    causes.merge("HTTP " + res.statusCode() + (flags.isEmpty() ? "" : " " + flags), 1, Integer::sum);
                }
            } catch (IOException e) {
                errors++;
                causes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors += count - i;
                causes.merge("interrupted", count - i, Integer::sum);
                break;
            }
        }
        return new SendResult(count, errors, responses, causes);
    }

    private SendResult sendDirect(
            InetSocketAddress gateway, URI url, int count, String method, List<String> headers, @Nullable String body) {
        Map<String, Integer> responses = new HashMap<>();
        Map<String, Integer> causes = new HashMap<>();
        int errors = 0;
        String host = url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        try (DirectClient c = new DirectClient(gateway, timeout)) {
            for (int i = 0; i < count; i++) {
                try {
                    DirectClient.Response res = c.send(method, host, path, headers, body);
                    if (res.status() / 100 == 2) {
                        responses.merge(firstLine(res.body()), 1, Integer::sum);
                    } else {
                        errors++;
                        causes.merge("HTTP " + res.status(), 1, Integer::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    errors++;
                    causes.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                }
            }
        }
        return new SendResult(count, errors, responses, causes);
    }

    private static String firstLine(String body) {
        int nl = body.indexOf('\n');
        return (nl < 0 ? body : body.substring(0, nl)).trim();
    }
}

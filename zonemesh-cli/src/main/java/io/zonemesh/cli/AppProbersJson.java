package io.zonemesh.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonemesh.proxy.status.AppProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Istio's {@code ISTIO_KUBE_APP_PROBERS} ({@code pilot/cmd/pilot-agent/status/server.go}
 * {@code KubeAppProbers}): a JSON object from {@code /app-health/<container>/<probe>} to the
 * application's original probe, {@code {"httpGet": {...}}} or {@code {"tcpSocket": {...}}} with
 * an optional {@code timeoutSeconds}.
 */
final class AppProbersJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppProbersJson() {}

    /**
     * Parses the variable's value; empty is no probes.
     *
     * @throws IllegalArgumentException naming the entry and field that is wrong
     */
    static Map<String, AppProbe> parse(String text) {
        Map<String, AppProbe> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ISTIO_KUBE_APP_PROBERS: not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException(
                    "ISTIO_KUBE_APP_PROBERS: " + root.getNodeType() + " (expected: an object)");
        }
        root.properties().forEach(e -> out.put(e.getKey(), probe(e.getKey(), e.getValue())));
        return out;
    }

    private static AppProbe probe(String path, JsonNode prober) {
        if (!path.matches("/app-health/[^/]+/(livez|readyz|startupz)")) {
            throw new IllegalArgumentException(
                    "ISTIO_KUBE_APP_PROBERS: " + path + " (expected: /app-health/<container>/livez|readyz|startupz)");
        }
        Duration timeout =
                prober.has("timeoutSeconds") && prober.get("timeoutSeconds").asInt() > 0
                        ? Duration.ofSeconds(prober.get("timeoutSeconds").asInt())
                        : AppProbe.DEFAULT_TIMEOUT;
        JsonNode http = prober.path("httpGet");
        JsonNode tcp = prober.path("tcpSocket");
        if (http.isObject()) {
            String scheme = http.path("scheme").asText("HTTP");
            if (!scheme.equals("HTTP")) {
                throw new IllegalArgumentException("ISTIO_KUBE_APP_PROBERS: " + path + ": httpGet.scheme: " + scheme
                        + " (expected: HTTP; HTTPS probes are not rewritten)");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (JsonNode h : http.path("httpHeaders")) {
                headers.put(h.path("name").asText(), h.path("value").asText());
            }
            return AppProbe.http(port(path, http), http.path("path").asText("/"), host(http), headers, timeout);
        }
        if (tcp.isObject()) {
            return AppProbe.tcp(port(path, tcp), host(tcp), timeout);
        }
        throw new IllegalArgumentException(
                "ISTIO_KUBE_APP_PROBERS: " + path + " (expected: httpGet or tcpSocket; gRPC probes are not rewritten)");
    }

    private static int port(String path, JsonNode action) {
        JsonNode port = action.path("port");
        if (port.isInt() || (port.isTextual() && port.asText().matches("\\d{1,5}"))) {
            return port.asInt();
        }
        throw new IllegalArgumentException(
                "ISTIO_KUBE_APP_PROBERS: " + path + ": port: " + port + " (expected: a port number)");
    }

    private static @io.zonemesh.common.Nullable String host(JsonNode action) {
        String host = action.path("host").asText("");
        return host.isEmpty() ? null : host;
    }
}

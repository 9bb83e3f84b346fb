package io.zonemesh.kube.inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonemesh.common.Nullable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Istio's probe rewrite ({@code pkg/kube/inject/app_probe.go}): the application containers'
 * HTTP and TCP readiness, liveness and startup probes go to the sidecar's status port
 * {@value #STATUS_PORT} as {@code GET /app-health/<container>/readyz|livez|startupz}, and the
 * sidecar probes the application itself from inside the pod ({@code ISTIO_KUBE_APP_PROBERS}).
 * With capture, the kubelet's own probe would otherwise go through the inbound listener, where a
 * port that requires mutual TLS refuses it. {@code sidecar.istio.io/rewriteAppHTTPProbers:
 * "false"} turns it off for a pod.
 *
 * <p><em>Not rewritten</em> (left as they are, unlike Istio): gRPC probes, HTTPS probes (the
 * sidecar's prober speaks plain HTTP and TCP only) and lifecycle hooks.
 */
final class AppProbes {
    /** Istio's {@code global.proxy.statusPort}: pilot-agent's port, where app probes go. */
    static final int STATUS_PORT = 15020;

    static final String ANNOTATION = "sidecar.istio.io/rewriteAppHTTPProbers";
    static final String ENV = "ISTIO_KUBE_APP_PROBERS";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** Probe field to Istio's path suffix, in the order Istio's DumpAppProbers writes them. */
    private static final List<Map.Entry<String, String>> KINDS = List.of(
            Map.entry("readinessProbe", "readyz"),
            Map.entry("livenessProbe", "livez"),
            Map.entry("startupProbe", "startupz"));

    private AppProbes() {}

    /** Whether the pod's probes are rewritten: the annotation when it parses as a boolean, else yes. */
    static boolean enabled(Map<String, String> annotations) {
        String value = annotations.get(ANNOTATION);
        if (value != null) {
            // Go's strconv.ParseBool, as Istio's ShouldRewriteAppHTTPProbers.
            switch (value) {
                case "1", "t", "T", "TRUE", "true", "True":
                    return true;
                case "0", "f", "F", "FALSE", "false", "False":
                    return false;
                default:
                    break;
            }
        }
        return true;
    }

    /**
     * Rewrites the probes of {@code containers} (the application's, before the sidecar is added)
     * in place.
     *
     * @return the {@code ISTIO_KUBE_APP_PROBERS} value (URL path to the original probe), or null
     *     when no probe was rewritten
     */
    static @Nullable String rewrite(JsonNode containers) {
        ObjectNode probers = JSON.objectNode();
        for (JsonNode node : containers) {
            if (!(node instanceof ObjectNode container)
                    || !container.path("name").isTextual()) {
                continue;
            }
            String name = container.get("name").asText();
            for (Map.Entry<String, String> kind : KINDS) {
                JsonNode probe = container.get(kind.getKey());
                if (!(probe instanceof ObjectNode original)) {
                    continue;
                }
                ObjectNode prober = prober(original, container);
                if (prober == null) {
                    continue;
                }
                String path = "/app-health/" + name + "/" + kind.getValue();
                probers.set(path, prober);
                // Istio's rewriteHTTPGetAction: the same probe with port and path replaced (its
                // headers stay, the kubelet sends them on); a TCP probe becomes such a GET.
                ObjectNode rewritten = original.deepCopy();
                JsonNode tcp = rewritten.remove("tcpSocket");
                ObjectNode httpGet =
                        tcp == null ? (ObjectNode) rewritten.get("httpGet") : rewritten.putObject("httpGet");
                httpGet.put("path", path);
                httpGet.put("port", STATUS_PORT);
                container.set(kind.getKey(), rewritten);
            }
        }
        return probers.isEmpty() ? null : probers.toString();
    }

    /**
     * The sidecar's copy of one probe: its {@code httpGet} or {@code tcpSocket} with a named port
     * resolved against the container's ports, and its timeout; null for what is not rewritten.
     */
    private static @Nullable ObjectNode prober(ObjectNode probe, ObjectNode container) {
        String kind;
        if (probe.path("httpGet").isObject()) {
            kind = "httpGet";
            String scheme = probe.path("httpGet").path("scheme").asText("HTTP");
            if (!scheme.toUpperCase(Locale.ROOT).equals("HTTP")) {
                return null;
            }
        } else if (probe.path("tcpSocket").isObject()) {
            kind = "tcpSocket";
        } else {
            return null;
        }
        ObjectNode action = probe.get(kind).deepCopy();
        JsonNode port = action.path("port");
        if (port.isTextual() && !port.asText().matches("\\d+")) {
            Integer number = namedPort(container, port.asText());
            if (number == null) {
                // Istio's DumpAppProbers drops a probe whose named port the container lacks.
                return null;
            }
            action.put("port", number);
        } else if (port.isTextual()) {
            action.put("port", Integer.parseInt(port.asText()));
        } else if (!port.isInt()) {
            return null;
        }
        ObjectNode prober = JSON.objectNode();
        prober.set(kind, action);
        if (probe.has("timeoutSeconds")) {
            prober.set("timeoutSeconds", probe.get("timeoutSeconds"));
        }
        return prober;
    }

    private static @Nullable Integer namedPort(ObjectNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (name.equals(p.path("name").asText(null))
                    && p.path("containerPort").isInt()) {
                return p.get("containerPort").asInt();
            }
        }
        return null;
    }
}

package io.zonemesh.kube.inject;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The sidecar's probes, as Istio's injection template writes them for {@code istio-proxy}
 * ({@code manifests/charts/istio-control/istio-discovery/files/injection-template.yaml}, values
 * from {@code values.yaml} {@code global.proxy}): {@code GET /healthz/ready} on port
 * {@value #STATUS_PORT}, which {@code zonemesh proxy --status} serves (200 once the first xDS
 * configuration is applied, 503 before and while shutting down).
 */
final class ReadinessProbes {
    /** Istio's readiness port (Envoy's {@code /healthz/ready} listener). */
    static final int STATUS_PORT = 15021;

    static final String PATH = "/healthz/ready";
    static final String INITIAL_DELAY = "readiness.status.sidecar.istio.io/initialDelaySeconds";
    static final String PERIOD = "readiness.status.sidecar.istio.io/periodSeconds";
    static final String FAILURE_THRESHOLD = "readiness.status.sidecar.istio.io/failureThreshold";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ReadinessProbes() {}

    /**
     * Istio's {@code startupProbe} (on by default, {@code global.proxy.startupProbe}): every
     * second, up to 600 failures (10 minutes), so that the readiness probe's 15 s period does
     * not delay a fast start.
     */
    static ObjectNode startup() {
        return probe(0, 1, 600);
    }

    /**
     * Istio's {@code readinessProbe}: initial delay 0 s, period 15 s, timeout 3 s, failure
     * threshold 4, each overridable by its {@code readiness.status.sidecar.istio.io/*} annotation.
     */
    static ObjectNode readiness(Map<String, String> annotations) {
        return probe(
                seconds(annotations, INITIAL_DELAY, 0, 0),
                seconds(annotations, PERIOD, 15, 1),
                seconds(annotations, FAILURE_THRESHOLD, 4, 1));
    }

    private static ObjectNode probe(int initialDelaySeconds, int periodSeconds, int failureThreshold) {
        ObjectNode probe = JSON.objectNode();
        probe.putObject("httpGet").put("path", PATH).put("port", STATUS_PORT);
        probe.put("initialDelaySeconds", initialDelaySeconds);
        probe.put("periodSeconds", periodSeconds);
        probe.put("timeoutSeconds", 3);
        probe.put("failureThreshold", failureThreshold);
        return probe;
    }

    private static int seconds(Map<String, String> annotations, String key, int absent, int min) {
        String text = annotations.get(key);
        if (text == null || text.isBlank()) {
            return absent;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected range
        }
        throw new IllegalArgumentException(key + ": " + text + " (expected: an integer >= " + min + ")");
    }
}

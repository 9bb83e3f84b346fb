package io.zonemesh.kube.inject;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Istio's metrics merging annotations ({@code inject.go} {@code applyMetricsMerge}): an injected pod
 * gets {@code prometheus.io/scrape: "true"}, {@code prometheus.io/port: "15020"} and
 * {@code prometheus.io/path: /stats/prometheus}, so that Prometheus' usual {@code kubernetes-pods}
 * job scrapes the proxy through pilot-agent's port. Istio also moves an application's own
 * {@code prometheus.io} annotations aside and merges its metrics into that answer; zonemesh does not
 * merge, so a pod that already has {@code prometheus.io/scrape} keeps its annotations unchanged
 * (Prometheus keeps scraping the application; the proxy is still on 15090), as does one with
 * {@code prometheus.istio.io/merge-metrics: "false"}.
 */
final class PrometheusAnnotations {
    static final String SCRAPE = "prometheus.io/scrape";
    static final String PORT = "prometheus.io/port";
    static final String PATH = "prometheus.io/path";
    static final String MERGE = "prometheus.istio.io/merge-metrics";

    private PrometheusAnnotations() {}

    static void add(ObjectNode annotations) {
        if (annotations.has(SCRAPE) || "false".equals(annotations.path(MERGE).asText())) {
            return;
        }
        annotations.put(SCRAPE, "true");
        annotations.put(PORT, Integer.toString(AppProbes.STATUS_PORT));
        annotations.put(PATH, "/stats/prometheus");
    }
}

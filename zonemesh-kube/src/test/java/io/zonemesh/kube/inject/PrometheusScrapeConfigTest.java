package io.zonemesh.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zonemesh.common.Nullable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/addons/prometheus-scrape.yaml's Kubernetes jobs, run (relabelling as Prometheus does) over
 * the discovery labels of pods as the injector leaves them: each sidecar is scraped exactly once, at
 * a port and path the proxy serves (15020 or 15090, /stats/prometheus; StatsPortTest serves them).
 */
class PrometheusScrapeConfigTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode job(String name) throws Exception {
        JsonNode config = YAML.readTree(
                Path.of("..", "deploy", "addons", "prometheus-scrape.yaml").toFile());
        for (JsonNode job : config.get("scrape_configs")) {
            if (job.get("job_name").asText().equals(name)) {
                return job;
            }
        }
        throw new AssertionError("no job " + name);
    }

    /** Prometheus' relabelling (keep, drop, replace with anchored regexes); null when dropped. */
    private static @Nullable Map<String, String> relabel(JsonNode job, Map<String, String> discovered) {
        Map<String, String> labels = new HashMap<>(discovered);
        labels.put("__metrics_path__", job.path("metrics_path").asText("/metrics"));
        for (JsonNode rule : job.get("relabel_configs")) {
            List<String> values = new ArrayList<>();
            rule.get("source_labels").forEach(l -> values.add(labels.getOrDefault(l.asText(), "")));
            String joined = String.join(";", values);
            Matcher m = Pattern.compile("^(?:" + rule.path("regex").asText("(.*)") + ")$")
                    .matcher(joined);
            String action = rule.path("action").asText("replace");
            if ((action.equals("keep") && !m.matches()) || (action.equals("drop") && m.matches())) {
                return null;
            }
            if (action.equals("replace") && m.matches()) {
                labels.put(
                        rule.get("target_label").asText(),
                        m.replaceFirst(rule.path("replacement").asText("$1")));
            }
        }
        return labels;
    }

    private static Map<String, String> pod(Map<String, String> annotations, String portName) {
        Map<String, String> labels = new HashMap<>();
        labels.put("__address__", "10.0.0.7:" + (portName.isEmpty() ? "8080" : "15090"));
        labels.put("__meta_kubernetes_pod_container_port_name", portName);
        labels.put("__meta_kubernetes_namespace", "dev");
        labels.put("__meta_kubernetes_pod_name", "web-1");
        annotations.forEach(
                (k, v) -> labels.put("__meta_kubernetes_pod_annotation_" + k.replaceAll("[^a-zA-Z0-9_]", "_"), v));
        return labels;
    }

    private static final Map<String, String> INJECTED = Map.of(
            PrometheusAnnotations.SCRAPE, "true",
            PrometheusAnnotations.PORT, "15020",
            PrometheusAnnotations.PATH, "/stats/prometheus");

    @Test
    void anInjectedPodIsScrapedOnTheAgentPortOnce() throws Exception {
        Map<String, String> viaAnnotations = relabel(job("kubernetes-pods"), pod(INJECTED, ""));

        assertThat(viaAnnotations).isNotNull();
        assertThat(viaAnnotations.get("__address__")).isEqualTo("10.0.0.7:15020");
        assertThat(viaAnnotations.get("__metrics_path__")).isEqualTo("/stats/prometheus");
        // The sidecar's 15090 target of the same pod is left to kubernetes-pods.
        assertThat(relabel(job("zonemesh-sidecars-15090"), pod(INJECTED, "http-envoy-prom")))
                .isNull();
    }

    @Test
    void aPodWithItsOwnAnnotationsHasItsSidecarScrapedOn15090() throws Exception {
        Map<String, String> own = Map.of(PrometheusAnnotations.SCRAPE, "true", PrometheusAnnotations.PORT, "9090");
        Map<String, String> sidecar = relabel(job("zonemesh-sidecars-15090"), pod(own, "http-envoy-prom"));

        assertThat(sidecar).isNotNull();
        assertThat(sidecar.get("__address__")).isEqualTo("10.0.0.7:15090");
        assertThat(sidecar.get("__metrics_path__")).isEqualTo("/stats/prometheus");
        assertThat(relabel(job("kubernetes-pods"), pod(own, "")).get("__address__"))
                .isEqualTo("10.0.0.7:9090");
    }
}

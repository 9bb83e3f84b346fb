package io.zonemesh.kube.inject;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class PrometheusAnnotationsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pointsPrometheusAtTheAgentPort() {
        ObjectNode annotations = json.createObjectNode();

        PrometheusAnnotations.add(annotations);

        assertThat(annotations.toString())
                .isEqualTo("{\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"15020\","
                        + "\"prometheus.io/path\":\"/stats/prometheus\"}");
    }

    @Test
    void leavesTheApplicationsOwnAnnotationsAndAnOptOutAlone() {
        ObjectNode own =
                json.createObjectNode().put("prometheus.io/scrape", "true").put("prometheus.io/port", "9090");
        ObjectNode optOut = json.createObjectNode().put("prometheus.istio.io/merge-metrics", "false");

        PrometheusAnnotations.add(own);
        PrometheusAnnotations.add(optOut);

        assertThat(own.toString()).isEqualTo("{\"prometheus.io/scrape\":\"true\",\"prometheus.io/port\":\"9090\"}");
        assertThat(optOut.toString()).isEqualTo("{\"prometheus.istio.io/merge-metrics\":\"false\"}");
    }
}

package io.zonemesh.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void readsSamplesWithLabelsEscapesSpecialValuesAndTimestamps() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP istio_requests_total Requests handled
                # TYPE istio_requests_total counter
                istio_requests_total{reporter="source",source_zone="az01",path="a\\"b\\\\c\\nd"} 3.0
                istio_request_bytes_bucket{le="+Inf",} 7 1700000000000
                up NaN

                process_start_time_seconds -Inf
                """);

        assertThat(samples).hasSize(4);
        assertThat(samples.get(0).name()).isEqualTo("istio_requests_total");
        assertThat(samples.get(0).labels())
                .containsEntry("reporter", "source")
                .containsEntry("source_zone", "az01")
                .containsEntry("path", "a\"b\\c\nd");
        assertThat(samples.get(0).value()).isEqualTo(3.0);
        assertThat(samples.get(1).label("le")).isEqualTo("+Inf");
        assertThat(samples.get(1).value()).isEqualTo(7);
        assertThat(samples.get(2).value()).isNaN();
        assertThat(samples.get(3).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void refusesALineOutsideTheFormatNamingIt() {
        assertThatThrownBy(() -> PrometheusText.parse("ok 1\nistio_requests_total{reporter=source} 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 2: 'istio_requests_total{reporter=source} 1'");
        assertThatThrownBy(() -> PrometheusText.parse("a{x=\"1\",x=\"2\"} 1"))
                .hasMessageContaining("label x given twice");
        assertThatThrownBy(() -> PrometheusText.parse("a 1 2 3")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("a{x=\"1\"")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("<html>")).hasMessageContaining("a metric name");
    }

    @Test
    void declaredModeRefusesSamplesOfUndeclaredFamiliesAndFamiliesDeclaredTwice() {
        String page = """
                # TYPE istio_requests_total counter
                istio_requests_total{reporter="source"} 3
                # TYPE istio_request_bytes histogram
                istio_request_bytes_bucket{le="+Inf"} 7
                istio_request_bytes_sum 700
                istio_request_bytes_count 7
                """;
        assertThat(PrometheusText.parseDeclared(page)).hasSize(4);
        assertThatThrownBy(() -> PrometheusText.parseDeclared(page + "stray 1\n"))
                .hasMessageContaining("line 7")
                .hasMessageContaining("sample of no declared family: stray");
        assertThatThrownBy(() -> PrometheusText.parseDeclared("# TYPE g gauge\ng_sum 1\n"))
                .as("only histograms and summaries have _sum")
                .hasMessageContaining("no declared family: g_sum");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE a counter\n# TYPE a gauge\n"))
                .hasMessageContaining("family a declared twice");
        assertThat(PrometheusText.parse("stray 1\n"))
                .as("untyped samples are allowed")
                .hasSize(1);
    }
}

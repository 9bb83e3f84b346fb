package io.zonemesh.cli.top;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpositionTextTest {

    @Test
    void readsSamplesWithLabelsEscapesSpecialValuesAndTimestamps() {
        List<ExpositionText.Sample> samples = ExpositionText.parse("""
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
        assertThatThrownBy(() -> ExpositionText.parse("ok 1\nistio_requests_total{reporter=source} 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 2: 'istio_requests_total{reporter=source} 1'");
        assertThatThrownBy(() -> ExpositionText.parse("a{x=\"1\",x=\"2\"} 1"))
                .hasMessageContaining("label x given twice");
        assertThatThrownBy(() -> ExpositionText.parse("a 1 2 3")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> ExpositionText.parse("a{x=\"1\"")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> ExpositionText.parse("<html>")).hasMessageContaining("a metric name");
    }
}

package io.zonemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.proxy.status.AppProbe;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ISTIO_KUBE_APP_PROBERS as the injector (and Istio's) writes it. */
class AppProbersJsonTest {
    @Test
    void readsHttpAndTcpProbesWithTheirTimeouts() {
        Map<String, AppProbe> probes =
                AppProbersJson.parse("{\"/app-health/web/readyz\":{\"httpGet\":{\"path\":\"ready\","
                        + "\"port\":8080,\"httpHeaders\":[{\"name\":\"X-A\",\"value\":\"b\"}]},\"timeoutSeconds\":2},"
                        + "\"/app-health/db/livez\":{\"tcpSocket\":{\"port\":\"5432\"}}}");
        assertThat(probes)
                .containsExactly(
                        Map.entry(
                                "/app-health/web/readyz",
                                AppProbe.http(8080, "/ready", null, Map.of("X-A", "b"), Duration.ofSeconds(2))),
                        Map.entry("/app-health/db/livez", AppProbe.tcp(5432, null, AppProbe.DEFAULT_TIMEOUT)));
        assertThat(AppProbersJson.parse("")).isEmpty();
    }

    @Test
    void rejectsWhatItCannotRunNamingTheEntry() {
        assertThatThrownBy(() -> AppProbersJson.parse("{\"/app-health/g/readyz\":{\"grpc\":{\"port\":9000}}}"))
                .hasMessage("ISTIO_KUBE_APP_PROBERS: /app-health/g/readyz (expected: httpGet or tcpSocket; "
                        + "gRPC probes are not rewritten)");
        assertThatThrownBy(() -> AppProbersJson.parse("{\"/app-health/w/readyz\":{\"httpGet\":{\"port\":\"http\"}}}"))
                .hasMessage("ISTIO_KUBE_APP_PROBERS: /app-health/w/readyz: port: \"http\" (expected: a port number)");
        assertThatThrownBy(() -> AppProbersJson.parse("{\"/healthz/ready\":{\"tcpSocket\":{\"port\":1}}}"))
                .hasMessageStartingWith("ISTIO_KUBE_APP_PROBERS: /healthz/ready (expected: /app-health/");
        assertThatThrownBy(() -> AppProbersJson.parse("[1")).hasMessageStartingWith("ISTIO_KUBE_APP_PROBERS: not JSON");
    }
}

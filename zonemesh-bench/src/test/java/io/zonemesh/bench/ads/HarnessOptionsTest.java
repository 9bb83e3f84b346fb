package io.zonemesh.bench.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.bench.mesh.MeshShape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {

    @Test
    void defaultsAreTheIssuesReferenceRun() {
        HarnessOptions o = HarnessOptions.parse(new String[0]);

        assertThat(o.clients()).isEqualTo(1000);
        assertThat(o.shape()).isEqualTo(MeshShape.REFERENCE);
        assertThat(o.debounce()).isEqualTo(Duration.ofMillis(100));
        assertThat(o.forked()).isTrue();
    }

    @Test
    void flagsOverrideDefaults() {
        HarnessOptions o = HarnessOptions.parse(new String[] {
            "--clients",
            "20",
            "--services",
            "10",
            "--zones",
            "2",
            "--endpoints",
            "3",
            "--namespaces",
            "2",
            "--changes",
            "1",
            "--clients-per-channel",
            "5",
            "--client-threads",
            "1",
            "--debounce-ms",
            "20",
            "--timeout-s",
            "30",
            "--in-process",
            "--server-jvm",
            "-Xmx1g -XX:+UseSerialGC",
            "--json",
            "out.json"
        });

        assertThat(o)
                .isEqualTo(new HarnessOptions(
                        20,
                        new MeshShape(10, 2, 3, 2),
                        1,
                        5,
                        1,
                        Duration.ofMillis(20),
                        Duration.ofSeconds(30),
                        false,
                        List.of("-Xmx1g", "-XX:+UseSerialGC"),
                        Path.of("out.json"),
                        null));
    }

    @Test
    void rejectsUnknownFlagsAndMissingValues() {
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--proxies", "3"}))
                .hasMessageStartingWith("--proxies: unknown option (options: --clients N");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--clients"}))
                .hasMessageStartingWith("--clients: missing value");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--clients", "0"}))
                .hasMessage("clients: 0 (expected: > 0)");
        assertThatThrownBy(() -> HarnessOptions.parse(new String[] {"--in-process", "--histogram", "h.txt"}))
                .hasMessage("histogram: h.txt (expected: a forked control plane; in-process the clients would be "
                        + "counted too)");
    }
}

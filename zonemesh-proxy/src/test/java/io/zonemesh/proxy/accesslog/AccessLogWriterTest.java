package io.zonemesh.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogWriterTest {
    @TempDir
    Path dir;

    @Test
    void appendsLinesInOrderAndClosesTheFiles() throws Exception {
        Path file = dir.resolve("access.log");
        Files.writeString(file, "existing\n");
        AccessLogWriter writer = new AccessLogWriter(16, "test-access-log");

        writer.write(file.toString(), "one\n");
        writer.write(file.toString(), "two\n");
        writer.close();

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("existing\none\ntwo\n");
        assertThat(writer.written()).isEqualTo(2);
        assertThat(writer.dropped()).isZero();
    }

    @Test
    void countsLinesForAFileThatCannotBeOpenedAsDropped() {
        AccessLogWriter writer = new AccessLogWriter(16, "test-access-log");

        writer.write(dir.resolve("missing-dir/access.log").toString(), "lost\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> writer.dropped() == 1);
        writer.close();
    }

    @Test
    void dropsInsteadOfBlockingWhenTheQueueIsFullOrClosed() {
        AccessLogWriter writer = new AccessLogWriter(1, "test-access-log");
        writer.close();

        writer.write(dir.resolve("a.log").toString(), "x\n");

        assertThat(writer.dropped()).isEqualTo(1);
    }
}

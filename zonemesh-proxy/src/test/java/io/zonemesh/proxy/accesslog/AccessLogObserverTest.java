package io.zonemesh.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Empty;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.http.AccessLog;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import io.zonemesh.proxy.xds.XdsResource;
import io.zonemesh.proxy.xds.XdsResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access log builds a request's entry only when its listener logs. */
class AccessLogObserverTest {
    @TempDir
    Path dir;

    private static ProxySnapshot snapshot(ListenerConfig listener) {
        XdsResources resources = new XdsResources(
                Map.of(
                        listener.name(),
                        new XdsResource<>(listener.name(), Empty.getDefaultInstance(), listener, "1", 0)),
                Map.of(),
                Map.of(),
                Map.of(),
                Map.of());
        return new ProxySnapshot(resources, Map.of(), true);
    }

    @Test
    void aListenerWithoutAccessLogsNeverBuildsTheEntry() throws Exception {
        AtomicInteger built = new AtomicInteger();
        ListenerConfig quiet = ListenerConfig.rds("virtualOutbound", Direction.OUTBOUND, "80");
        AccessLogWriter writer = new AccessLogWriter(16, "test-access-log");
        try {
            new AccessLog(() -> snapshot(quiet), writer)
                    .onRequestComplete(Entries.relayed().record(), () -> {
                        built.incrementAndGet();
                        return Entries.relayed();
                    });
            new AccessLog(() -> ProxySnapshot.EMPTY, writer)
                    .onRequestComplete(Entries.relayed().record(), () -> {
                        built.incrementAndGet();
                        return Entries.relayed();
                    });
        } finally {
            writer.close();
        }
        assertThat(built).as("entries built").hasValue(0);
        assertThat(writer.written()).isZero();
    }

    @Test
    void aLoggingListenerBuildsItOnceAndWritesEveryLogsLine() throws Exception {
        AtomicInteger built = new AtomicInteger();
        Path file = dir.resolve("access.log");
        AccessLogConfig log = new AccessLogConfig(file.toString(), TextFormat.compile("%RESPONSE_CODE%\n", false));
        ListenerConfig logging =
                ListenerConfig.rds("virtualOutbound", Direction.OUTBOUND, "80").withAccessLogs(List.of(log, log));
        AccessLogWriter writer = new AccessLogWriter(16, "test-access-log");
        new AccessLog(() -> snapshot(logging), writer)
                .onRequestComplete(Entries.relayed().record(), () -> {
                    built.incrementAndGet();
                    return Entries.relayed();
                });
        writer.close();
        assertThat(built).hasValue(1);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo("200\n200\n");
    }
}

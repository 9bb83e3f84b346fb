package io.zonemesh.proxy.http;

import io.zonemesh.proxy.accesslog.AccessLogConfig;
import io.zonemesh.proxy.accesslog.AccessLogEntry;
import io.zonemesh.proxy.accesslog.AccessLogWriter;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's HCM access logs: for each finished request, every {@code access_log} of the listener that
 * served it (as the current snapshot has it) formats a line on the request's event loop (the format
 * was compiled when the listener was accepted) and hands it to the {@link AccessLogWriter}, which
 * writes from its own thread. A listener without {@code access_log} writes nothing: Istio turns
 * access logs on through meshConfig {@code accessLogFile} or the Telemetry API.
 */
public final class AccessLog implements RequestObserver {
    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    private final Supplier<ProxySnapshot> snapshots;
    private final AccessLogWriter writer;

    public AccessLog(Supplier<ProxySnapshot> snapshots, AccessLogWriter writer) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Without headers and addresses there is no line to print: only entries are logged. */
    @Override
    public void onRequestComplete(RequestRecord record) {}

    @Override
    public void onRequestComplete(RequestRecord record, Supplier<AccessLogEntry> entries) {
        ListenerConfig listener = snapshots.get().listener(record.listener());
        if (listener == null || listener.accessLogs().isEmpty()) {
            return;
        }
        AccessLogEntry entry = entries.get();
        for (AccessLogConfig config : listener.accessLogs()) {
            String line;
            try {
                line = config.formatter().format(entry);
            } catch (RuntimeException e) {
                log.warn("access log {}: formatting failed", config.path(), e);
                continue;
            }
            writer.write(config.path(), line);
        }
    }
}

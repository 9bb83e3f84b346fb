package io.zonemesh.proxy.http;

import io.zonemesh.proxy.accesslog.AccessLogEntry;
import java.util.function.Supplier;

/** Told about every finished request, on the event loop that handled it; must not block. */
@FunctionalInterface
public interface RequestObserver {
    void onRequestComplete(RequestRecord record);

    /**
     * The same request with what only the access log prints (headers, addresses, details), built
     * only if {@code entry} is called: most listeners log nothing (Istio's default), and building
     * it costs allocations and TLS session lookups on every request. By default only the record
     * is observed.
     */
    default void onRequestComplete(RequestRecord record, Supplier<AccessLogEntry> entry) {
        onRequestComplete(record);
    }
}

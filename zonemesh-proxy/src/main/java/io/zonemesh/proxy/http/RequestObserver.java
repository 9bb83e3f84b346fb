package io.zonemesh.proxy.http;

import io.zonemesh.proxy.accesslog.AccessLogEntry;

/** Told about every finished request, on the event loop that handled it; must not block. */
@FunctionalInterface
public interface RequestObserver {
    void onRequestComplete(RequestRecord record);

    /**
     * The same request with what only the access log prints (headers, addresses, details); by
     * default only its record is observed.
     */
    default void onRequestComplete(AccessLogEntry entry) {
        onRequestComplete(entry.record());
    }
}

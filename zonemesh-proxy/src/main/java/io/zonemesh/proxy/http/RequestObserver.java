package io.zonemesh.proxy.http;

/** Told about every finished request, on the event loop that handled it; must not block. */
@FunctionalInterface
public interface RequestObserver {
    void onRequestComplete(RequestRecord record);
}

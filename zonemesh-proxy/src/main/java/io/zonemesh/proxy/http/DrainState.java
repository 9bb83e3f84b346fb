package io.zonemesh.proxy.http;

/**
 * Whether a listener is draining: once set, every response carries {@code Connection: close}
 * and connections close after it, as Envoy's HTTP/1 drain does. Read from every event loop.
 */
public final class DrainState {
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void start() {
        draining = true;
    }
}

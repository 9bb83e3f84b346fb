package io.zonemesh.proxy.http;

import java.time.Duration;

/**
 * Whether a listener is draining: once set, every response carries {@code Connection: close}
 * and connections close after it, as Envoy's HTTP/1 drain does; connections that stay idle close
 * after {@link #IDLE_CLOSE_GRACE}. Read from every event loop.
 */
public final class DrainState {
    /**
     * How long a keep-alive connection must stay idle, once its listener drains, before the
     * proxy closes it (see {@code DownstreamHandler.onDrain}).
     */
    static final Duration IDLE_CLOSE_GRACE = Duration.ofSeconds(1);

    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    void start() {
        draining = true;
    }
}

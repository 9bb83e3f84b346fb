package io.zonemesh.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.zonemesh.common.Nullable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices an event loop of the proxy that terminated while the proxy was running. Netty rethrows
 * an {@link Error} (an {@link OutOfMemoryError} above all) out of its I/O loop, and the thread
 * ends: every connection and listener registered on it is dead for good while the process stays
 * up (issue 8). {@code /ready} then answers 503 with {@link #failure()}, so that the orchestrator
 * takes the proxy out of rotation and restarts it.
 */
final class EventLoopWatchdog {
    private static final Logger log = LoggerFactory.getLogger(EventLoopWatchdog.class);

    private final AtomicReference<@Nullable String> failure = new AtomicReference<>();
    private volatile boolean stopping;

    EventLoopWatchdog(EventLoopGroup group) {
        for (EventExecutor loop : group) {
            loop.terminationFuture().addListener(f -> onTerminated(loop));
        }
    }

    private void onTerminated(EventExecutor loop) {
        if (stopping) {
            return;
        }
        String reason = "event loop " + loop + " terminated";
        if (failure.compareAndSet(null, reason)) {
            log.error("{} while the proxy was running: its connections are lost and /ready now fails", reason);
        }
    }

    /** The proxy is closing: its loops end on purpose from now on. */
    void stop() {
        stopping = true;
    }

    /** Why the proxy can no longer serve, or null. */
    @Nullable
    String failure() {
        return failure.get();
    }
}

package io.zonemesh.proxy.http;

import io.netty.channel.Channel;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import java.util.concurrent.ScheduledFuture;

/** One upstream connection owned by an {@link EventLoopPool}; confined to that pool's event loop. */
final class PooledConnection {
    final Channel channel;
    final PoolKey key;
    final UpstreamHandler handler;
    /** The cluster's breakers, whose {@code max_connections} slot this connection holds until it closes. */
    final CircuitBreakers breakers;
    /** An HTTP/2 stream (its channel is the stream): used once, then closed. */
    final boolean stream;
    /** Requests sent on it, including the one in flight. */
    int requests;
    /** Whether the current request got it from the idle list rather than a fresh connect. */
    boolean reused;
    /** Armed while the connection is idle in the pool (the cluster's idle timeout). */
    @Nullable
    RearmableTimer idleTimer;
    /** Fires at {@code max_connection_duration}. */
    @Nullable
    ScheduledFuture<?> expiry;
    /** Past {@code max_connection_duration}: closed instead of reused. */
    boolean expired;

    PooledConnection(Channel channel, PoolKey key, UpstreamHandler handler, CircuitBreakers breakers) {
        this(channel, key, handler, breakers, false);
    }

    PooledConnection(Channel channel, PoolKey key, UpstreamHandler handler, CircuitBreakers breakers, boolean stream) {
        this.channel = channel;
        this.key = key;
        this.handler = handler;
        this.breakers = breakers;
        this.stream = stream;
    }
}

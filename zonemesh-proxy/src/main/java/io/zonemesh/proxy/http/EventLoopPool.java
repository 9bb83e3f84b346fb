package io.zonemesh.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.zonemesh.proxy.config.UpstreamHttpOptions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connections of one event loop. Netty's proxy rule: an upstream connection lives
 * on the event loop of the downstream channel that uses it, so no request crosses threads and
 * this pool needs no locks; every method runs on {@link #loop}. Idle connections are reused
 * most-recently-used first, and keep a read pending so that a server closing them is noticed.
 */
final class EventLoopPool {
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ConnectionPools.Stats stats;
    private final Map<PoolKey, ArrayDeque<PooledConnection>> idle = new HashMap<>();
    private final Set<PooledConnection> open = new HashSet<>();
    private boolean closed;

    EventLoopPool(EventLoop loop, Class<? extends Channel> channelType, ConnectionPools.Stats stats) {
        this.loop = loop;
        this.stats = stats;
        // Auto-read off: the proxy reads a response only while a request waits for it.
        this.bootstrap = new Bootstrap().group(loop).channel(channelType)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true);
    }

    /**
     * A connection to {@code key}'s host: an idle one unless {@code forceNew}, else a new one.
     * Cancelling the future abandons a connect in progress.
     */
    Future<PooledConnection> acquire(PoolKey key, Duration connectTimeout, UpstreamHttpOptions options,
            boolean forceNew) {
        if (closed) {
            return loop.newFailedFuture(new IllegalStateException("connection pool closed"));
        }
        if (!forceNew) {
            ArrayDeque<PooledConnection> queue = idle.get(key);
            while (queue != null && !queue.isEmpty()) {
                PooledConnection connection = queue.pollFirst();
                cancelIdleTimer(connection);
                if (connection.channel.isActive() && !connection.expired) {
                    connection.reused = true;
                    connection.requests++;
                    return loop.newSucceededFuture(connection);
                }
            }
        }
        return connect(key, connectTimeout, options.maxConnectionDuration());
    }

    private Future<PooledConnection> connect(PoolKey key, Duration connectTimeout, Duration maxDuration) {
        Promise<PooledConnection> promise = loop.newPromise();
        UpstreamHandler handler = new UpstreamHandler();
        ChannelFuture connect = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        Math.max(1, connectTimeout.toMillis())))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handler.readTracker(),
                                new HttpClientCodec(HttpLimits.MAX_INITIAL_LINE, HttpLimits.MAX_HEADER_BYTES,
                                        HttpLimits.MAX_CHUNK),
                                new HttpObjectAggregator(HttpLimits.MAX_BODY_BYTES),
                                handler);
                    }
                })
                .connect(key.socketAddress());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
                return;
            }
            PooledConnection connection = new PooledConnection(connect.channel(), key, handler);
            connection.requests = 1;
            open.add(connection);
            stats.onOpened(key);
            connect.channel().closeFuture().addListener(c -> onClosed(connection));
            if (!maxDuration.isZero()) {
                // max_connection_duration: past its age the connection serves no new request;
                // Envoy drains it, which for HTTP/1.1 means closing it once idle.
                connection.expiry = loop.schedule(() -> {
                    connection.expired = true;
                    if (removeIdle(connection)) {
                        connection.channel.close();
                    }
                }, maxDuration.toNanos(), TimeUnit.NANOSECONDS);
            }
            if (closed || !promise.trySuccess(connection)) {
                connect.channel().close();
            }
        });
        promise.addListener(f -> {
            if (f.isCancelled()) {
                connect.cancel(false);
            }
        });
        return promise;
    }

    /**
     * Returns a connection after its exchange: parked for reuse when {@code reusable} and under
     * {@code max_requests_per_connection}, closed otherwise.
     */
    void release(PooledConnection connection, boolean reusable, UpstreamHttpOptions options) {
        connection.handler.unbind();
        int max = options.maxRequestsPerConnection();
        if (closed || !reusable || connection.expired || !connection.channel.isActive()
                || (max > 0 && connection.requests >= max)) {
            connection.channel.close();
            return;
        }
        connection.reused = false;
        idle.computeIfAbsent(connection.key, k -> new ArrayDeque<>()).addFirst(connection);
        if (!options.idleTimeout().isZero()) {
            connection.idleTimer = loop.schedule(() -> {
                connection.idleTimer = null;
                if (removeIdle(connection)) {
                    connection.channel.close();
                }
            }, options.idleTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
        connection.channel.read();
    }

    /** Closes idle connections of keys no cluster uses any more. */
    void retain(Set<PoolKey> live) {
        List<PooledConnection> stale = new ArrayList<>();
        idle.forEach((key, queue) -> {
            if (!live.contains(key)) {
                stale.addAll(queue);
            }
        });
        for (PooledConnection connection : stale) {
            removeIdle(connection);
            connection.channel.close();
        }
    }

    /** Closes every connection, busy or idle; later acquires fail. */
    void closeAll() {
        closed = true;
        for (PooledConnection connection : new ArrayList<>(open)) {
            connection.channel.close();
        }
    }

    int idleCount() {
        return idle.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    private void onClosed(PooledConnection connection) {
        open.remove(connection);
        removeIdle(connection);
        cancelIdleTimer(connection);
        if (connection.expiry != null) {
            connection.expiry.cancel(false);
        }
        stats.onClosed(connection.key);
    }

    private boolean removeIdle(PooledConnection connection) {
        ArrayDeque<PooledConnection> queue = idle.get(connection.key);
        if (queue == null || !queue.remove(connection)) {
            return false;
        }
        if (queue.isEmpty()) {
            idle.remove(connection.key);
        }
        return true;
    }

    private static void cancelIdleTimer(PooledConnection connection) {
        if (connection.idleTimer != null) {
            connection.idleTimer.cancel(false);
            connection.idleTimer = null;
        }
    }
}

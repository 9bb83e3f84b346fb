package io.zonemesh.proxy.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.NoopAddressResolver;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.UpstreamHttpOptions;
import io.zonemesh.proxy.config.UpstreamTls;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import io.zonemesh.proxy.snapshot.ResourceLimit;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final Http2Upstreams http2;
    private final Map<PoolKey, ArrayDeque<PooledConnection>> idle = new HashMap<>();
    private final Set<PooledConnection> open = new HashSet<>();
    private final Map<PoolKey, ArrayDeque<Waiter>> waiting = new HashMap<>();
    /** Connections open or connecting per key on this loop. */
    private final Map<PoolKey, Integer> connectionsPerKey = new HashMap<>();

    private boolean closed;

    private final WorkloadSecrets secrets;

    EventLoopPool(
            EventLoop loop,
            ChannelFactory<? extends Channel> channelFactory,
            ConnectionPools.Stats stats,
            WorkloadSecrets secrets) {
        this.loop = loop;
        this.stats = stats;
        this.secrets = secrets;
        // Auto-read off: the proxy reads a response only while a request waits for it.
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(channelFactory)
                .resolver(new LiteralAddresses(loop))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true);
        this.http2 = new Http2Upstreams(loop, bootstrap, stats, secrets);
    }

    /**
     * A connection to {@code key}'s host: an idle one unless {@code forceNew}, else a new one
     * within the cluster's {@code max_connections}, else the next one a request of the same key
     * on this loop gives back. Like Envoy's pools, a request that gets no connection at once is
     * pending and needs a {@code max_pending_requests} slot, or fails at once with a
     * {@link PoolOverflowException}. Cancelling the future abandons the wait or connect.
     */
    Future<PooledConnection> acquire(
            PoolKey key,
            Duration connectTimeout,
            UpstreamHttpOptions options,
            CircuitBreakers breakers,
            @Nullable UpstreamTls tls,
            boolean forceNew) {
        if (closed) {
            return loop.newFailedFuture(new IllegalStateException("connection pool closed"));
        }
        if (options.http2()) {
            return http2.acquire(key, connectTimeout, breakers, tls);
        }
        if (!forceNew) {
            PooledConnection connection = pollIdle(key, options);
            if (connection != null) {
                return loop.newSucceededFuture(connection);
            }
        }
        if (!breakers.pendingRequests().tryAcquire()) {
            breakers.onOverflow(CircuitBreakers.Resource.PENDING_REQUESTS);
            return loop.newFailedFuture(new PoolOverflowException(CircuitBreakers.Resource.PENDING_REQUESTS));
        }
        Promise<PooledConnection> promise = loop.newPromise();
        promise.addListener(f -> breakers.pendingRequests().release());
        Waiter waiter = new Waiter(key, connectTimeout, options, breakers, tls, promise);
        if (!openConnection(waiter)) {
            waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(waiter);
            promise.addListener(f -> {
                if (f.isCancelled()) {
                    removeWaiter(waiter);
                }
            });
        }
        return promise;
    }

    /**
     * An idle connection to {@code key}'s host, handed out at once, or null when there is none
     * (then {@link #acquire} waits or connects). HTTP/2 clusters never have idle connections.
     */
    @Nullable
    PooledConnection pollIdle(PoolKey key, UpstreamHttpOptions options) {
        if (closed || options.http2()) {
            return null;
        }
        ArrayDeque<PooledConnection> queue = idle.get(key);
        while (queue != null && !queue.isEmpty()) {
            PooledConnection connection = queue.pollFirst();
            disarmIdleTimer(connection);
            if (connection.channel.isActive() && !connection.expired) {
                connection.reused = true;
                connection.requests++;
                return connection;
            }
        }
        return null;
    }

    /** Connects for {@code waiter} if {@code max_connections} allows; false when it must wait. */
    private boolean openConnection(Waiter waiter) {
        ResourceLimit connections = waiter.breakers.connections();
        if (!connections.tryAcquire()) {
            waiter.breakers.onOverflow(CircuitBreakers.Resource.CONNECTIONS);
            if (connectionsPerKey.getOrDefault(waiter.key, 0) > 0) {
                return false;
            }
            // Envoy's tryCreateNewConnection: a pool with no connection at all gets one even over
            // the limit, or its pending requests could never be served.
            connections.forceAcquire();
        }
        connect(waiter);
        return true;
    }

    private void connect(Waiter waiter) {
        PoolKey key = waiter.key;
        Promise<PooledConnection> promise = waiter.promise;
        Duration maxDuration = waiter.options.maxConnectionDuration();
        connectionsPerKey.merge(key, 1, Integer::sum);
        SslContext sslContext = waiter.tls == null ? null : UpstreamTlsContexts.resolve(waiter.tls, secrets);
        if (waiter.tls != null && sslContext == null) {
            // SDS default not ready (no workload certificate yet): fail closed, as a connect failure.
            onConnectionGone(key, waiter.breakers);
            promise.tryFailure(UpstreamTlsContexts.notReady());
            return;
        }
        UpstreamHandler handler = new UpstreamHandler();
        ChannelFuture connect = bootstrap
                .clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, Math.max(1, waiter.connectTimeout.toMillis())))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        UpstreamTls tls = waiter.tls;
                        if (tls != null && sslContext != null) {
                            // Before the read tracker, so that only response bytes count as read.
                            ch.pipeline().addLast(UpstreamTlsContexts.newHandler(sslContext, tls, ch, key.port()));
                        }
                        ch.pipeline()
                                .addLast(
                                        handler.readTracker(),
                                        new HttpClientCodec(
                                                HttpLimits.MAX_INITIAL_LINE,
                                                HttpLimits.MAX_HEADER_BYTES,
                                                HttpLimits.MAX_CHUNK),
                                        handler);
                    }
                })
                .connect(key.socketAddress());
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                onConnectionGone(key, waiter.breakers);
                promise.tryFailure(f.cause());
                return;
            }
            PooledConnection connection = new PooledConnection(connect.channel(), key, handler, waiter.breakers);
            connection.requests = 1;
            open.add(connection);
            stats.onOpened(key);
            connect.channel().closeFuture().addListener(c -> onClosed(connection));
            if (!maxDuration.isZero()) {
                // max_connection_duration: past its age the connection serves no new request;
                // Envoy drains it, which for HTTP/1.1 means closing it once idle.
                connection.expiry = loop.schedule(
                        () -> {
                            connection.expired = true;
                            if (removeIdle(connection)) {
                                connection.channel.close();
                            }
                        },
                        maxDuration.toNanos(),
                        TimeUnit.NANOSECONDS);
            }
            SslHandler ssl = connect.channel().pipeline().get(SslHandler.class);
            if (ssl == null) {
                handOver(connection, promise);
                return;
            }
            ssl.handshakeFuture().addListener(handshake -> {
                Throwable failure = handshake.isSuccess()
                        ? SanVerifier.verify(
                                ssl,
                                Objects.requireNonNull(waiter.tls, "TLS handler without settings")
                                        .sanMatchers())
                        : handshake.cause();
                if (failure != null) {
                    // A failed handshake or a certificate without the expected SAN is a connect
                    // failure (Envoy: UF, "TLS error"); the close releases the connection slot.
                    connect.channel().close();
                    promise.tryFailure(failure);
                } else {
                    handOver(connection, promise);
                }
            });
        });
        promise.addListener(f -> {
            if (f.isCancelled()) {
                connect.cancel(false);
            }
        });
    }

    private void handOver(PooledConnection connection, Promise<PooledConnection> promise) {
        if (closed || !promise.trySuccess(connection)) {
            connection.channel.close();
        }
    }

    /**
     * Returns a connection after its exchange: parked for reuse when {@code reusable} and under
     * {@code max_requests_per_connection}, closed otherwise.
     */
    void release(PooledConnection connection, boolean reusable, UpstreamHttpOptions options) {
        connection.handler.unbind();
        if (connection.stream) {
            connection.channel.close();
            return;
        }
        int max = options.maxRequestsPerConnection();
        if (closed
                || !reusable
                || connection.expired
                || !connection.channel.isActive()
                || (max > 0 && connection.requests >= max)) {
            connection.channel.close();
            return;
        }
        Waiter waiter = pollWaiter(connection.key);
        if (waiter != null) {
            connection.reused = true;
            connection.requests++;
            if (waiter.promise.trySuccess(connection)) {
                return;
            }
            connection.requests--;
        }
        connection.reused = false;
        idle.computeIfAbsent(connection.key, k -> new ArrayDeque<>()).addFirst(connection);
        if (!options.idleTimeout().isZero()) {
            // Parked and taken again once per request: a rearmable timer per connection instead
            // of a task scheduled and cancelled each time.
            if (connection.idleTimer == null) {
                connection.idleTimer = new RearmableTimer(loop, () -> {
                    if (removeIdle(connection)) {
                        connection.channel.close();
                    }
                });
            }
            connection.idleTimer.arm(options.idleTimeout().toNanos());
        }
        connection.channel.read();
    }

    /** Closes idle connections of keys no cluster uses any more, and retires their HTTP/2 connections. */
    void retain(Set<PoolKey> live) {
        http2.retain(live);
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

    /** Closes every connection, busy or idle, and fails every waiting request; later acquires fail. */
    void closeAll() {
        closed = true;
        http2.closeAll();
        for (ArrayDeque<Waiter> queue : new ArrayList<>(waiting.values())) {
            for (Waiter waiter : new ArrayList<>(queue)) {
                waiter.promise.tryFailure(new IllegalStateException("connection pool closed"));
            }
        }
        waiting.clear();
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
        onConnectionGone(connection.key, connection.breakers);
    }

    /** A connection closed or never opened: its slot is free, so a waiting request may connect. */
    private void onConnectionGone(PoolKey key, CircuitBreakers breakers) {
        connectionsPerKey.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
        breakers.connections().release();
        if (closed) {
            return;
        }
        Waiter waiter = pollWaiter(key);
        if (waiter != null && !openConnection(waiter)) {
            waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addFirst(waiter);
        }
    }

    private @Nullable Waiter pollWaiter(PoolKey key) {
        ArrayDeque<Waiter> queue = waiting.get(key);
        Waiter waiter = null;
        while (queue != null && !queue.isEmpty() && waiter == null) {
            Waiter next = queue.pollFirst();
            if (!next.promise.isDone()) {
                waiter = next;
            }
        }
        if (queue != null && queue.isEmpty()) {
            waiting.remove(key);
        }
        return waiter;
    }

    private void removeWaiter(Waiter waiter) {
        ArrayDeque<Waiter> queue = waiting.get(waiter.key);
        if (queue != null && queue.remove(waiter) && queue.isEmpty()) {
            waiting.remove(waiter.key);
        }
    }

    /** A request that needs a connection to {@code key}. */
    private record Waiter(
            PoolKey key,
            Duration connectTimeout,
            UpstreamHttpOptions options,
            CircuitBreakers breakers,
            @Nullable UpstreamTls tls,
            Promise<PooledConnection> promise) {}

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

    private static void disarmIdleTimer(PooledConnection connection) {
        if (connection.idleTimer != null) {
            connection.idleTimer.disarm();
        }
    }

    private static void cancelIdleTimer(PooledConnection connection) {
        if (connection.idleTimer != null) {
            connection.idleTimer.cancel();
        }
    }

    /**
     * Pool keys hold IP literals, made into resolved addresses without a lookup
     * ({@link PoolKey#socketAddress}): nothing to resolve, so no resolver per event loop in a
     * global map (which also needs the loop's termination future, which an embedded test loop
     * does not have).
     */
    private static final class LiteralAddresses extends AddressResolverGroup<SocketAddress> {
        private final AddressResolver<SocketAddress> resolver;

        LiteralAddresses(EventLoop loop) {
            this.resolver = new NoopAddressResolver(loop);
        }

        @Override
        public AddressResolver<SocketAddress> getResolver(EventExecutor executor) {
            return resolver;
        }

        @Override
        protected AddressResolver<SocketAddress> newResolver(EventExecutor executor) {
            return resolver;
        }
    }
}

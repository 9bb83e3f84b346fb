package io.zonemesh.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.util.concurrent.Future;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.UpstreamHttpOptions;
import io.zonemesh.proxy.config.UpstreamTls;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.snapshot.CircuitBreakers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every upstream connection of the proxy: one {@link EventLoopPool} per event loop, plus
 * per-host connection counts for {@code /clusters}. {@link #acquire} and {@link #release} must
 * be called on the event loop given.
 */
public final class ConnectionPools {
    private final ConcurrentMap<EventLoop, EventLoopPool> pools = new ConcurrentHashMap<>();
    private final Stats stats = new Stats();
    private final ChannelFactory<? extends Channel> channelFactory;
    private final WorkloadSecrets secrets;

    /** @param channelType the socket channel type of the event loops this is used on (see {@code Transport}) */
    public ConnectionPools(Class<? extends Channel> channelType) {
        this(channelType, new WorkloadSecrets());
    }

    /** @param secrets the proxy's SDS secrets, for clusters whose TLS comes from them */
    public ConnectionPools(Class<? extends Channel> channelType, WorkloadSecrets secrets) {
        this(new ReflectiveChannelFactory<>(Objects.requireNonNull(channelType, "channelType")), secrets);
    }

    /**
     * @param channelFactory makes the upstream channels; tests pass unregistered
     *     {@code EmbeddedChannel}s, which then share the downstream's event loop and its virtual time
     */
    ConnectionPools(ChannelFactory<? extends Channel> channelFactory) {
        this(channelFactory, new WorkloadSecrets());
    }

    private ConnectionPools(ChannelFactory<? extends Channel> channelFactory, WorkloadSecrets secrets) {
        this.channelFactory = Objects.requireNonNull(channelFactory, "channelFactory");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    /** The SDS secrets upstream mesh TLS presents and trusts. */
    public WorkloadSecrets secrets() {
        return secrets;
    }

    Future<PooledConnection> acquire(
            EventLoop loop,
            PoolKey key,
            Duration connectTimeout,
            UpstreamHttpOptions options,
            CircuitBreakers breakers,
            @Nullable UpstreamTls tls,
            boolean forceNew) {
        return pool(loop).acquire(key, connectTimeout, options, breakers, tls, forceNew);
    }

    /** An idle connection of {@code loop}'s pool to {@code key}, or null; see {@link EventLoopPool#pollIdle}. */
    @Nullable
    PooledConnection pollIdle(EventLoop loop, PoolKey key, UpstreamHttpOptions options) {
        return pool(loop).pollIdle(key, options);
    }

    void release(PooledConnection connection, boolean reusable, UpstreamHttpOptions options) {
        pool(connection.channel.eventLoop()).release(connection, reusable, options);
    }

    /** Open connections to a host of a cluster, across event loops. */
    public int activeConnections(PoolKey key) {
        HostStats host = stats.hosts.get(key);
        return host == null ? 0 : host.active.get();
    }

    /** Connections ever opened to a host of a cluster. */
    public long totalConnections(PoolKey key) {
        HostStats host = stats.hosts.get(key);
        return host == null ? 0 : host.total.get();
    }

    /**
     * Closes idle connections to hosts outside {@code live} (and HTTP/2 ones once their streams
     * are done), on each event loop.
     */
    public void retain(Set<PoolKey> live) {
        Set<PoolKey> copy = Set.copyOf(live);
        pools.forEach((loop, pool) -> loop.execute(() -> pool.retain(copy)));
        // Counts of hosts that are gone and have no connection left are dropped; a host that
        // comes back starts over, as Envoy's per-host stats do.
        stats.hosts
                .entrySet()
                .removeIf(e -> !copy.contains(e.getKey()) && e.getValue().active.get() == 0);
    }

    /** Closes every connection; the returned futures complete once each loop has done so. */
    public List<Future<?>> closeAll() {
        List<Future<?>> done = new ArrayList<>();
        pools.forEach((loop, pool) -> done.add(loop.submit(pool::closeAll)));
        return done;
    }

    private EventLoopPool pool(EventLoop loop) {
        // A plain get first: every request asks, and the capturing lambda would be allocated each time.
        EventLoopPool pool = pools.get(loop);
        return pool != null ? pool : pools.computeIfAbsent(loop, l -> new EventLoopPool(l, channelFactory, stats, secrets));
    }

    /** Connection counts per host, updated from every event loop. */
    static final class Stats {
        private final ConcurrentMap<PoolKey, HostStats> hosts = new ConcurrentHashMap<>();

        void onOpened(PoolKey key) {
            HostStats host = hosts.computeIfAbsent(key, k -> new HostStats());
            host.active.incrementAndGet();
            host.total.incrementAndGet();
        }

        void onClosed(PoolKey key) {
            HostStats host = hosts.get(key);
            if (host != null) {
                host.active.decrementAndGet();
            }
        }
    }

    private static final class HostStats {
        final AtomicInteger active = new AtomicInteger();
        final AtomicLong total = new AtomicLong();
    }
}

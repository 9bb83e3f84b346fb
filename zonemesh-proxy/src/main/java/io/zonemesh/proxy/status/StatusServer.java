package io.zonemesh.proxy.status;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.Transport;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Istio's status port (15021, Envoy's {@code /healthz/ready} listener in Istio's bootstrap, backed
 * by pilot-agent's readiness probe): {@code GET /healthz/ready} answers 200 while the proxy is
 * ready (its first xDS configuration applied and every event loop alive: the admin {@code /ready}
 * rule) and 503 otherwise, and 503 for good once {@link #drain()} was called (the proxy is
 * shutting down; pilot-agent's probe fails once its context is cancelled). Unlike the admin port
 * it listens on any address, since the kubelet and load balancers probe it from outside the pod,
 * and it serves nothing else.
 *
 * <p>It runs on an event loop of its own: a probe must be answered even when the proxy's loops
 * are busy, and must say 503 (not time out) when one of them died.
 */
public final class StatusServer implements AutoCloseable {
    /** Istio's readiness path. */
    public static final String READY_PATH = "/healthz/ready";
    /** Envoy's Prometheus path, served on 15090 and (pilot-agent's merged metrics) on 15020. */
    public static final String STATS_PATH = "/stats/prometheus";

    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final EventLoopGroup group;
    private final Channel server;
    private final StatusHandler.State state;

    private StatusServer(EventLoopGroup group, Channel server, StatusHandler.State state) {
        this.group = group;
        this.server = server;
        this.state = state;
    }

    /**
     * Binds {@code address} and serves until {@link #close()}.
     *
     * @param ready whether the proxy is ready now; called on the status event loop, must not block
     * @throws IllegalStateException when the address cannot be bound (the thread is released)
     */
    public static StatusServer start(InetSocketAddress address, BooleanSupplier ready) {
        return start(address, ready, null);
    }

    /**
     * The same, also answering Istio's {@code /app-health/<container>/<probe>} paths with
     * {@code prober} (pilot-agent's status port 15020, where the injector sends the application's
     * rewritten probes).
     */
    public static StatusServer start(InetSocketAddress address, BooleanSupplier ready, @Nullable AppProber prober) {
        return start(address, ready, prober, null, true);
    }

    /**
     * pilot-agent's status port (15020): readiness, the application's probes, and
     * {@code /stats/prometheus} with the proxy's metrics. Istio merges the application's own
     * metrics in when its pod had {@code prometheus.io} annotations; zonemesh serves the proxy's
     * only (the injector then leaves the application's annotations alone).
     */
    public static StatusServer start(
            InetSocketAddress address, BooleanSupplier ready, @Nullable AppProber prober, Supplier<String> stats) {
        return start(address, ready, prober, Objects.requireNonNull(stats, "stats"), true);
    }

    /** Envoy's Prometheus listener in Istio's bootstrap (15090): {@code /stats/prometheus} only. */
    public static StatusServer startStats(InetSocketAddress address, Supplier<String> stats) {
        return start(address, () -> false, null, Objects.requireNonNull(stats, "stats"), false);
    }

    private static StatusServer start(
            InetSocketAddress address,
            BooleanSupplier ready,
            @Nullable AppProber prober,
            @Nullable Supplier<String> stats,
            boolean readiness) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(ready, "ready");
        Transport transport = Transport.preferred();
        EventLoopGroup group = transport.newGroup(1, new DefaultThreadFactory("zonemesh-status", true));
        StatusHandler.State state = new StatusHandler.State(ready);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelType())
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline()
                                    .addLast(
                                            new HttpServerCodec(),
                                            new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                            new StatusHandler(state, prober, stats, readiness));
                        }
                    })
                    .bind(address)
                    .syncUninterruptibly()
                    .channel();
            return new StatusServer(group, server, state);
        } catch (Exception e) {
            // Netty rethrows a failed bind's checked exception (a NativeIoException on epoll) unchecked.
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(1, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "status port " + address + ": cannot bind ("
                            + Transport.asBindException(e).getMessage() + ")",
                    e);
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** From now on {@code /healthz/ready} answers 503 DRAINING, whatever the proxy's state. */
    public void drain() {
        state.drain();
    }

    /** Stops listening and releases the thread (shutting the group down closes the connections). */
    @Override
    public void close() {
        server.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}

package io.zonemesh.proxy.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.TlsChain;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One listening socket of the proxy (outbound or inbound) and the connections it accepted.
 * Draining follows Envoy's HTTP/1 behaviour: responses carry {@code Connection: close}, idle
 * connections are closed, and the socket stops accepting when told to. {@link DownstreamLimits}
 * bound what connections may cost: past the connection limit a new connection gets
 * {@link OverloadReply}, and timers close the silent and the idle ones.
 */
public final class ProxyListener {
    private final ListenerContext context;
    private final ServerBootstrap bootstrap;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final DownstreamLimits limits;
    /**
     * Admitted connections; counted apart from {@link #connections} so that admission is exact
     * when several event loops accept at once.
     */
    private final AtomicInteger admitted = new AtomicInteger();

    private final AtomicInteger lingeringOverflows = new AtomicInteger();
    private final AtomicLong overflows = new AtomicLong();
    private volatile @Nullable Channel server;
    /** Transparent capture's hook (io.zonemesh.proxy.capture): may take a connection off HTTP. */
    private volatile @Nullable Predicate<Channel> diverter;

    public ProxyListener(
            ListenerContext context,
            EventLoopGroup group,
            Class<? extends ServerChannel> channelType,
            DownstreamLimits limits) {
        this(context, group, channelType, limits, List.of());
    }

    /**
     * @param tlsChains TLS filter chains chosen by SNI; empty for a plaintext listener
     */
    public ProxyListener(
            ListenerContext context,
            EventLoopGroup group,
            Class<? extends ServerChannel> channelType,
            DownstreamLimits limits,
            List<TlsChain> tlsChains) {
        this.context = Objects.requireNonNull(context, "context");
        this.limits = Objects.requireNonNull(limits, "limits");
        List<TlsChain> chains = List.copyOf(tlsChains);
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (admitted.incrementAndGet() > ProxyListener.this.limits.maxConnections()) {
                            admitted.decrementAndGet();
                            overflows.incrementAndGet();
                            ch.pipeline().addLast(new OverloadReply(chains.isEmpty(), lingeringOverflows));
                            return;
                        }
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> {
                            connections.remove(ch);
                            admitted.decrementAndGet();
                        });
                        Predicate<Channel> divert = diverter;
                        if (divert != null && divert.test(ch)) {
                            return;
                        }
                        if (chains.isEmpty()) {
                            ch.pipeline()
                                    .addLast(new Http2PriorKnowledge(
                                            ProxyListener.this.context, ProxyListener.this.limits.idleTimeout()));
                            addHttpHandlers(ch.pipeline(), ProxyListener.this.context);
                        } else {
                            ch.pipeline()
                                    .addLast(
                                            new SniHandler(TlsChainSelector.mapping(chains)),
                                            new TlsChainSelector(
                                                    chains,
                                                    chain -> ch.pipeline()
                                                            .addLast(new AlpnHandler(
                                                                    ProxyListener.this.context.forTlsChain(
                                                                            chain.rdsName())))));
                        }
                    }
                });
    }

    /** Installs HTTP/2 or HTTP/1.1 handlers once the TLS handshake has settled the ALPN protocol. */
    private final class AlpnHandler extends ApplicationProtocolNegotiationHandler {
        private final ListenerContext connectionContext;

        AlpnHandler(ListenerContext connectionContext) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.connectionContext = connectionContext;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                Http2PriorKnowledge.addHttp2Handlers(ctx.pipeline(), connectionContext, limits.idleTimeout());
            } else {
                addHttpHandlers(ctx.pipeline(), connectionContext);
            }
            // The handlers just added start as on a fresh connection (DownstreamHandler reads).
            ctx.fireChannelActive();
        }
    }

    /**
     * The HTTP/1.1 handlers of a connection, after TLS when there is TLS: the timers at once, the
     * rest once the first byte arrives ({@link Http1Installer}).
     */
    private void addHttpHandlers(ChannelPipeline pipeline, ListenerContext connectionContext) {
        ConnectionTimeouts timeouts = new ConnectionTimeouts(limits.requestHeadersTimeout(), limits.idleTimeout());
        pipeline.addLast(timeouts.byteWatcher(), new Http1Installer(connectionContext), timeouts);
    }

    /**
     * Makes this a capturing listener, before {@link #bind}: {@code serverOption} is set on the
     * listening socket (IP_TRANSPARENT), and {@code diverter} sees each admitted connection
     * first; when it returns true it has installed the connection's handlers itself.
     */
    public <T> void capture(ChannelOption<T> serverOption, T value, Predicate<Channel> diverter) {
        bootstrap.option(serverOption, value);
        this.diverter = Objects.requireNonNull(diverter, "diverter");
    }

    /** Binds the socket (blocking the caller until bound); port 0 picks a free port. */
    public InetSocketAddress bind(InetSocketAddress address) {
        ChannelFuture bound = bootstrap.bind(address).syncUninterruptibly();
        server = bound.channel();
        return (InetSocketAddress) bound.channel().localAddress();
    }

    public String name() {
        return context.listenerName();
    }

    /** The bound port, or -1 before {@link #bind}. */
    public int port() {
        Channel s = server;
        return s == null ? -1 : ((InetSocketAddress) s.localAddress()).getPort();
    }

    public boolean accepting() {
        Channel s = server;
        return s != null && s.isOpen();
    }

    public boolean draining() {
        return context.drain().draining();
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Connections refused since start because the listener was at its connection limit. */
    public long overflowCount() {
        return overflows.get();
    }

    /**
     * Starts draining: later HTTP/1 responses close their connections, an HTTP/1 connection that
     * stays quiet for {@link DrainState#IDLE_CLOSE_GRACE} closes then (one that never sent a byte
     * closes now), and an HTTP/2 connection gets a GOAWAY ({@link Http2Drain}).
     */
    public void drain() {
        context.drain().start();
        for (Channel connection : List.copyOf(connections)) {
            connection.eventLoop().execute(() -> {
                DownstreamHandler handler = connection.pipeline().get(DownstreamHandler.class);
                Http2Drain http2 = connection.pipeline().get(Http2Drain.class);
                if (handler != null) {
                    handler.onDrain();
                } else if (http2 != null) {
                    // HTTP/2 runs a DownstreamHandler per stream, on child channels.
                    http2.onDrain();
                } else if (connection.pipeline().get(Http1Installer.class) != null) {
                    // No byte came yet: an idle connection.
                    connection.close();
                }
            });
        }
    }

    /**
     * Closes the listening socket without waiting; accepted connections stay until they finish
     * or are closed. Safe to call from an event loop.
     */
    public ChannelFuture stopAccepting() {
        Channel s = server;
        if (s == null) {
            throw new IllegalStateException("listener " + name() + " was never bound");
        }
        return s.close();
    }

    /**
     * Waits (on the caller's thread, never an event loop) until every accepted connection has
     * closed or {@code timeout} has passed; returns whether all closed.
     */
    public boolean awaitConnectionsClosed(Duration timeout, Clock clock) {
        long deadline = clock.nanoTime() + timeout.toNanos();
        for (Channel connection : List.copyOf(connections)) {
            long remaining = deadline - clock.nanoTime();
            if (remaining <= 0) {
                return connections.isEmpty();
            }
            try {
                connection.closeFuture().await(remaining, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return connections.isEmpty();
    }

    /** Closes every accepted connection now. */
    public void closeConnections() {
        for (Channel connection : List.copyOf(connections)) {
            connection.close();
        }
    }
}

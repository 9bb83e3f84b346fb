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
import io.netty.handler.ssl.SslContext;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.DownstreamTls;
import io.zonemesh.proxy.config.FilterChainConfig;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.MeshTls;
import io.zonemesh.proxy.config.TcpFilterChains;
import io.zonemesh.proxy.config.TlsChain;
import io.zonemesh.proxy.tcp.TcpConnections;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket of the proxy (outbound or inbound) and the connections it accepted.
 * Draining follows Envoy's HTTP/1 behaviour: responses carry {@code Connection: close}, idle
 * connections are closed, and the socket stops accepting when told to. {@link DownstreamLimits}
 * bound what connections may cost: past the connection limit a new connection gets
 * {@link OverloadReply}, and timers close the silent and the idle ones.
 */
public final class ProxyListener {
    private static final Logger log = LoggerFactory.getLogger(ProxyListener.class);
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
    /** The listening sockets: one, or one per application port ({@link #bind(InetSocketAddress, int)}). */
    private final List<Channel> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final java.util.Map<Integer, Integer> applicationPorts = new ConcurrentHashMap<>();
    /** Transparent capture's hook (io.zonemesh.proxy.capture): may take a connection off HTTP. */
    private volatile @Nullable Predicate<Channel> diverter;
    /** Serves the connections while the listener's xDS config is a tcp_proxy one; null: HTTP only. */
    private volatile @Nullable TcpConnections tcp;

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
                        TcpConnections tcpConnections = tcp;
                        TcpFilterChains tcpChains =
                                tcpConnections == null || !chains.isEmpty() ? null : tcpConnections.chains();
                        if (tcpConnections != null && tcpChains != null) {
                            tcpConnections.accept(ch, tcpChains);
                            return;
                        }
                        List<FilterChainConfig> matched = chains.isEmpty() ? filterChains() : List.of();
                        if (!matched.isEmpty()) {
                            ch.pipeline()
                                    .addLast(new TlsInspector(
                                            (ctx, protocol) -> installChain(ctx, matched, protocol),
                                            TlsInspector.TIMEOUT));
                        } else if (chains.isEmpty()) {
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
                                                            .addLast(
                                                                    new TlsInfoRecorder(),
                                                                    new AlpnHandler(
                                                                            ProxyListener.this.context.forTlsChain(
                                                                                    chain.rdsName())))));
                        }
                    }
                });
    }

    /** The listener's filter chains matched by port and transport protocol (Istio's inbound), if any. */
    private List<FilterChainConfig> filterChains() {
        ListenerConfig config = context.snapshots().get().listener(context.listenerName());
        return config == null ? List.of() : config.filterChains();
    }

    /**
     * Installs the handlers of the chain a connection matches, once {@link TlsInspector} has
     * detected its transport protocol: TLS then HTTP, or HTTP; no chain closes the connection,
     * and so does a mesh TLS chain while the proxy has no workload certificate (fail closed).
     */
    private void installChain(ChannelHandlerContext ctx, List<FilterChainConfig> chains, String protocol) {
        Channel ch = ctx.channel();
        FilterChainConfig chain = InboundChains.select(chains, InboundChains.destinationPort(ch), protocol);
        if (chain == null) {
            log.debug(
                    "listener {}: no filter chain for {} on port {}; closing",
                    context.listenerName(),
                    protocol,
                    InboundChains.destinationPort(ch));
            ch.close();
            return;
        }
        ListenerContext chainContext = context.forChain(chain);
        DownstreamTls tls = chain.tls();
        if (tls == null) {
            ch.pipeline().addLast(new Http2PriorKnowledge(chainContext, limits.idleTimeout()));
            addHttpHandlers(ch.pipeline(), chainContext);
        } else {
            SslContext files = tls.sslContext();
            MeshTls mesh = tls.mesh();
            SslContext ssl = files != null
                    ? files
                    : context.pools()
                            .secrets()
                            .serverContext(Objects.requireNonNull(mesh), tls.requireClientCertificate());
            if (ssl == null) {
                log.warn(
                        "listener {}: chain {} needs SDS {}, which is not ready; closing the connection",
                        context.listenerName(),
                        chain.name(),
                        MeshTls.WORKLOAD_SECRET);
                ch.close();
                return;
            }
            ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new TlsInfoRecorder(), new AlpnHandler(chainContext));
        }
        // From the inspector's place, so that only the handlers after it start.
        ctx.fireChannelActive();
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

    /**
     * Lets this listener serve {@code tcp_proxy} chains: a connection accepted while the
     * listener's xDS config has them goes to {@code connections}; otherwise it is HTTP.
     */
    public void serveTcp(TcpConnections connections) {
        this.tcp = Objects.requireNonNull(connections, "connections");
    }

    /** Binds the socket (blocking the caller until bound); port 0 picks a free port. */
    public InetSocketAddress bind(InetSocketAddress address) {
        ChannelFuture bound = bootstrap.bind(address).syncUninterruptibly();
        servers.add(bound.channel());
        return (InetSocketAddress) bound.channel().localAddress();
    }

    /**
     * Binds one more socket whose connections have {@code applicationPort} as their destination
     * port for filter chain matching ({@code zonemesh up}: one inbound socket per application
     * port, in place of capture's original destination).
     */
    public InetSocketAddress bind(InetSocketAddress address, int applicationPort) {
        ChannelFuture bound = bootstrap
                .clone()
                .attr(InboundChains.APPLICATION_PORT, applicationPort)
                .bind(address)
                .syncUninterruptibly();
        servers.add(bound.channel());
        InetSocketAddress local = (InetSocketAddress) bound.channel().localAddress();
        applicationPorts.put(applicationPort, local.getPort());
        return local;
    }

    /** The port bound for {@code applicationPort}, or -1. */
    public int port(int applicationPort) {
        return applicationPorts.getOrDefault(applicationPort, -1);
    }

    public String name() {
        return context.listenerName();
    }

    /** The bound port, or -1 before {@link #bind}. */
    public int port() {
        return servers.isEmpty() ? -1 : ((InetSocketAddress) servers.get(0).localAddress()).getPort();
    }

    public boolean accepting() {
        return servers.stream().anyMatch(Channel::isOpen);
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
        if (servers.isEmpty()) {
            throw new IllegalStateException("listener " + name() + " was never bound");
        }
        Channel first = servers.get(0);
        io.netty.channel.ChannelPromise all = first.newPromise();
        // The sockets may close on different event loops: count down atomically.
        AtomicInteger open = new AtomicInteger(servers.size());
        for (Channel s : servers) {
            s.close().addListener(f -> {
                if (open.decrementAndGet() == 0) {
                    all.trySuccess();
                }
            });
        }
        return all;
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

package io.zonemesh.proxy.tcp;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.TcpChain;
import io.zonemesh.proxy.config.TcpFilterChains;
import io.zonemesh.proxy.http.InboundChains;
import io.zonemesh.proxy.identity.WorkloadSecrets;
import io.zonemesh.proxy.snapshot.ProxySnapshot;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of a listener whose chains end in {@code tcp_proxy}: each accepted connection
 * gets a {@link ClientHelloInspector}; once it has read the ClientHello (or found none) the chain is
 * chosen by {@link TcpChainMatcher} and its {@link TcpProxyHandler} takes over, or the connection
 * is closed when no chain matches and the listener has no default chain.
 */
public final class TcpConnections {
    private static final Logger log = LoggerFactory.getLogger(TcpConnections.class);

    private final String listenerName;
    private final Direction direction;
    private final Supplier<ProxySnapshot> snapshots;
    private final Class<? extends Channel> channelType;
    private final RandomSource random;
    private final TcpObserver observer;
    private final Duration inspectTimeout;
    private final WorkloadSecrets secrets;

    /**
     * @param channelType the socket channel type of upstream connections (the listener's transport)
     * @param secrets the workload certificate for clusters with mesh TLS
     * @param random thread-safe: every event loop draws from it
     */
    public TcpConnections(
            String listenerName,
            Direction direction,
            Supplier<ProxySnapshot> snapshots,
            Class<? extends Channel> channelType,
            RandomSource random,
            TcpObserver observer,
            WorkloadSecrets secrets) {
        this(listenerName, direction, snapshots, channelType, random, observer, secrets, ClientHelloInspector.TIMEOUT);
    }

    TcpConnections(
            String listenerName,
            Direction direction,
            Supplier<ProxySnapshot> snapshots,
            Class<? extends Channel> channelType,
            RandomSource random,
            TcpObserver observer,
            WorkloadSecrets secrets,
            Duration inspectTimeout) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.listenerName = Objects.requireNonNull(listenerName, "listenerName");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.random = Objects.requireNonNull(random, "random");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.inspectTimeout = Objects.requireNonNull(inspectTimeout, "inspectTimeout");
    }

    /** The listener's tcp_proxy chains in the current snapshot, or null when it is not a TCP listener. */
    public @Nullable TcpFilterChains chains() {
        ListenerConfig config = snapshots.get().listener(listenerName);
        return config == null ? null : config.tcp();
    }

    /** Takes over a just-accepted connection of a TCP listener (from its channel initializer). */
    public void accept(Channel channel, TcpFilterChains chains) {
        if (!chains.tlsInspector()) {
            // No listener filter: the chain is chosen before any byte, as plaintext.
            channel.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
                @Override
                public void handlerAdded(ChannelHandlerContext ctx) {
                    install(ctx, chains, null, "raw_buffer", List.of());
                    if (ctx.channel().isOpen()) {
                        ctx.pipeline().remove(this);
                    }
                }
            });
            return;
        }
        channel.pipeline()
                .addLast(new ClientHelloInspector(
                        (ctx, sni, transport, alpn) -> install(ctx, chains, sni, transport, alpn), inspectTimeout));
    }

    private void install(
            ChannelHandlerContext ctx,
            TcpFilterChains chains,
            @Nullable String serverName,
            String transport,
            List<String> alpn) {
        Channel channel = ctx.channel();
        int port = destinationPort(channel);
        TcpChain chain = TcpChainMatcher.select(chains, port, serverName, transport, alpn);
        if (chain == null) {
            log.debug(
                    "listener {}: no filter chain for {} sni {} alpn {} on port {}; closing",
                    listenerName,
                    transport,
                    serverName,
                    alpn,
                    port);
            channel.close();
            return;
        }
        TcpSession session = new TcpSession(observer, listenerName, direction);
        TcpProxyHandler handler =
                new TcpProxyHandler(chain.tcpProxy(), snapshots, channelType, random, session, secrets);
        channel.pipeline().addLast(handler);
        handler.start();
    }

    /**
     * The port chains match {@code destination_port} against: the listener's xDS port (a gateway
     * may be bound elsewhere, {@code zonemesh up} maps ports), else the socket's.
     */
    private int destinationPort(Channel channel) {
        ListenerConfig config = snapshots.get().listener(listenerName);
        InetSocketAddress address = config == null ? null : config.address();
        return address != null && address.getPort() != 0 ? address.getPort() : InboundChains.destinationPort(channel);
    }
}

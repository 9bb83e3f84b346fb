package io.zonemesh.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.zonemesh.common.Nullable;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The admin HTTP server. It binds to loopback only (RELIABILITY.md: the admin port is local). */
public final class AdminServer {
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final ServerBootstrap bootstrap;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private @Nullable Channel server;

    public AdminServer(AdminContext context, EventLoopGroup group, Class<? extends ServerChannel> channelType) {
        Objects.requireNonNull(context, "context");
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                        new AdminHandler(context));
                    }
                });
    }

    /**
     * Binds the admin socket.
     *
     * @throws IllegalArgumentException when {@code address} is not a loopback address
     */
    public InetSocketAddress bind(InetSocketAddress address) {
        if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("adminAddress: " + address + " (expected: a loopback address)");
        }
        server = bootstrap.bind(address).syncUninterruptibly().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** The event loop of the listening socket, or null before {@link #bind}. */
    public io.netty.channel.@Nullable EventLoop eventLoop() {
        Channel s = server;
        return s == null ? null : s.eventLoop();
    }

    public int port() {
        Channel s = server;
        return s == null ? -1 : ((InetSocketAddress) s.localAddress()).getPort();
    }

    /** Stops accepting and closes the admin connections. */
    public void close() {
        Channel s = server;
        if (s != null) {
            s.close().syncUninterruptibly();
        }
        connections.forEach(Channel::close);
    }
}

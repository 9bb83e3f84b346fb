package io.zonemesh.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Errors;
import io.zonemesh.common.Nullable;
import java.net.BindException;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The socket transport of the proxy's event loops: Linux epoll when Netty's native library
 * loads, Java NIO otherwise. Epoll saves the selector's per-wakeup bookkeeping and garbage
 * (measured in BENCHMARKS.md, "Proxy: epoll"). The system property {@value #PROPERTY}
 * ({@code auto}, {@code epoll} or {@code nio}) overrides the choice; channels must always match
 * their event loop group, so everything that opens sockets on a group asks {@link #of} for it.
 */
public enum Transport {
    NIO(NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class),
    EPOLL(EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class);

    /** Linux's errno for "address already in use" (epoll exists only on Linux). */
    private static final int EADDRINUSE = 98;

    /** The system property that picks the transport of groups the proxy creates. */
    public static final String PROPERTY = "zonemesh.transport";

    @SuppressWarnings("ImmutableEnumChecker") // a stateless method reference to a Netty factory
    private final Supplier<IoHandlerFactory> ioHandlerFactory;

    private final Class<? extends ServerChannel> serverChannelType;
    private final Class<? extends Channel> channelType;

    Transport(
            Supplier<IoHandlerFactory> ioHandlerFactory,
            Class<? extends ServerChannel> serverChannelType,
            Class<? extends Channel> channelType) {
        this.ioHandlerFactory = ioHandlerFactory;
        this.serverChannelType = serverChannelType;
        this.channelType = channelType;
    }

    /**
     * The transport new groups use: {@value #PROPERTY} if set, else epoll where available.
     *
     * @throws IllegalArgumentException if the property names no transport, or names epoll where
     *     it cannot load (with the reason Netty gives)
     */
    public static Transport preferred() {
        return choose(System.getProperty(PROPERTY, "auto"), Epoll.isAvailable() ? null : Epoll.unavailabilityCause());
    }

    /** {@link #preferred()} given the property's value and why epoll cannot load (null: it can). */
    static Transport choose(String property, @Nullable Throwable epollUnavailable) {
        String wanted = property.trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "auto":
                return epollUnavailable == null ? EPOLL : NIO;
            case "nio":
                return NIO;
            case "epoll":
                if (epollUnavailable != null) {
                    throw new IllegalArgumentException(
                            "-D" + PROPERTY + "=epoll: epoll is not available here (" + epollUnavailable + ")");
                }
                return EPOLL;
            default:
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + "=" + property + ": unknown transport (expected: auto, epoll or nio)");
        }
    }

    /**
     * The transport whose channels can be registered with {@code group}.
     *
     * @throws IllegalArgumentException for a group that is neither NIO nor epoll (its sockets
     *     would fail to register only later, at the first bind or connect)
     */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(NioIoHandler.class)) {
                return NIO;
            }
            if (Epoll.isAvailable() && io.isIoType(EpollIoHandler.class)) {
                return EPOLL;
            }
        }
        throw new IllegalArgumentException("event loop group " + group + ": expected an NIO or epoll group");
    }

    /**
     * Whether {@code failure}, or one of its causes, is a bind that found its address in use:
     * NIO throws {@link BindException}, epoll a {@link Errors.NativeIoException} with EADDRINUSE.
     */
    public static boolean isAddressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            if (t instanceof Errors.NativeIoException && ((Errors.NativeIoException) t).expectedErr() == -EADDRINUSE) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code failure} as the {@link BindException} NIO would have thrown when it is an address in
     * use (so callers see one type on either transport), otherwise {@code failure} itself.
     */
    public static Exception asBindException(Exception failure) {
        if (failure instanceof BindException || !isAddressInUse(failure)) {
            return failure;
        }
        BindException bind = new BindException(failure.getMessage());
        bind.addSuppressed(failure);
        return bind;
    }

    /** A new group of {@code threads} event loops (0: Netty's default) on this transport. */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory.get());
    }

    public Class<? extends ServerChannel> serverChannelType() {
        return serverChannelType;
    }

    public Class<? extends Channel> channelType() {
        return channelType;
    }
}

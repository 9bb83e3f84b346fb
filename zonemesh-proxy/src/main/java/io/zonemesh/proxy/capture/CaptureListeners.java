package io.zonemesh.proxy.capture;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.Transport;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.http.ProxyListener;
import io.zonemesh.proxy.tcp.TcpObserver;
import io.zonemesh.proxy.tcp.TcpSession;
import java.util.function.Supplier;

/** Turns the proxy's outbound or inbound listener into a capturing one. */
public final class CaptureListeners {
    private CaptureListeners() {}

    /**
     * TPROXY: the listening socket gets {@code IP_TRANSPARENT} (so that the kernel hands it
     * connections addressed to any IP; needs CAP_NET_ADMIN) and each connection is routed by its
     * original destination ({@link CapturedConnections}). REDIRECT: nothing to change, the
     * original destination is unknown and every connection is HTTP, routed by its authority.
     *
     * @throws IllegalStateException for TPROXY without the epoll transport, the only one of
     *     Netty's that sets IP_TRANSPARENT
     */
    public static void install(
            CaptureMode mode, Transport transport, ProxyListener listener, Supplier<@Nullable RouteTable> routes) {
        install(mode, transport, listener, routes, Direction.OUTBOUND, TcpObserver.NONE);
    }

    /**
     * As {@link #install(CaptureMode, Transport, ProxyListener, Supplier)}, reporting passed-through
     * connections to {@code observer} as the listener's {@code direction}.
     */
    public static void install(
            CaptureMode mode,
            Transport transport,
            ProxyListener listener,
            Supplier<@Nullable RouteTable> routes,
            Direction direction,
            TcpObserver observer) {
        if (mode == CaptureMode.REDIRECT) {
            return;
        }
        if (transport != Transport.EPOLL) {
            throw new IllegalStateException("capture TPROXY: the listeners need IP_TRANSPARENT, which only Netty's "
                    + "epoll transport sets (transport: " + transport
                    + (Epoll.isAvailable() ? "" : "; epoll unavailable: " + Epoll.unavailabilityCause()) + ")");
        }
        listener.capture(
                EpollChannelOption.IP_TRANSPARENT,
                true,
                new CapturedConnections(
                        CapturedConnections::localAddress,
                        routes,
                        transport.channelType(),
                        () -> new TcpSession(observer, listener.name(), direction)));
    }
}

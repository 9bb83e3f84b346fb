package io.zonemesh.proxy.capture;

import io.netty.channel.Channel;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.config.VirtualHostConfig;
import io.zonemesh.proxy.tcp.TcpObserver;
import io.zonemesh.proxy.tcp.TcpSession;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Decides, per connection accepted by a capturing listener, where it goes: HTTP routing by
 * authority as for any other connection when its original destination's port is one a service
 * serves HTTP on (a virtual host of the listener's routes names it: {@code host:port}, or no
 * port for 80); otherwise {@link TcpPassthrough} to the original destination, as Envoy's
 * PassthroughCluster. The decision is by port, before any byte, like Istio's listeners for
 * declared ports, so server-first protocols (MySQL, SMTP) pass through too.
 *
 * <p>A connection addressed to the listener's own port (an application that uses the outbound
 * port as its {@code http_proxy}) is HTTP, never a loop back to the proxy itself.
 */
public final class CapturedConnections implements Predicate<Channel> {
    private final Function<Channel, @Nullable InetSocketAddress> originalDestination;
    private final Supplier<@Nullable RouteTable> routes;
    private final Class<? extends Channel> upstreamChannelType;
    private final Supplier<TcpSession> sessions;
    private volatile PortIndex ports = new PortIndex(null, Set.of());

    /**
     * @param originalDestination each connection's original destination; null when unknown
     *     (REDIRECT: the proxy then routes everything as HTTP)
     * @param routes the listener's current route table (null before xDS delivered it)
     */
    public CapturedConnections(
            Function<Channel, @Nullable InetSocketAddress> originalDestination,
            Supplier<@Nullable RouteTable> routes,
            Class<? extends Channel> upstreamChannelType) {
        this(
                originalDestination,
                routes,
                upstreamChannelType,
                () -> new TcpSession(TcpObserver.NONE, "", Direction.OUTBOUND));
    }

    /** @param sessions a new passed-through connection's reporting (Istio's TCP metrics) */
    public CapturedConnections(
            Function<Channel, @Nullable InetSocketAddress> originalDestination,
            Supplier<@Nullable RouteTable> routes,
            Class<? extends Channel> upstreamChannelType,
            Supplier<TcpSession> sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.originalDestination = Objects.requireNonNull(originalDestination, "originalDestination");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.upstreamChannelType = Objects.requireNonNull(upstreamChannelType, "upstreamChannelType");
    }

    /** TPROXY: the accepted socket's local address is the destination the application dialled. */
    public static @Nullable InetSocketAddress localAddress(Channel channel) {
        return channel.localAddress() instanceof InetSocketAddress address ? address : null;
    }

    /**
     * Takes the connection off the HTTP path when it is not HTTP to a service.
     *
     * @return true when a {@link TcpPassthrough} now owns the connection
     */
    @Override
    public boolean test(Channel channel) {
        InetSocketAddress destination = originalDestination.apply(channel);
        if (destination == null || isListenerItself(channel, destination)) {
            return false;
        }
        if (httpPorts().contains(destination.getPort())) {
            return false;
        }
        channel.pipeline().addLast(new TcpPassthrough(destination, upstreamChannelType, sessions.get()));
        return true;
    }

    private static boolean isListenerItself(Channel channel, InetSocketAddress destination) {
        Channel server = channel.parent();
        return server != null
                && server.localAddress() instanceof InetSocketAddress listening
                && listening.getPort() == destination.getPort();
    }

    /** The HTTP ports of the current route table, recomputed only when the table changes. */
    private Set<Integer> httpPorts() {
        RouteTable table = routes.get();
        PortIndex index = ports;
        if (index.table() != table) {
            index = new PortIndex(table, table == null ? Set.of() : portsOf(table));
            ports = index;
        }
        return index.ports();
    }

    static Set<Integer> portsOf(RouteTable table) {
        Set<Integer> out = new HashSet<>();
        for (VirtualHostConfig host : table.virtualHosts()) {
            for (String domain : host.domains()) {
                int colon = domain.lastIndexOf(':');
                if (colon < 0 || domain.endsWith("]")) {
                    out.add(80);
                    continue;
                }
                try {
                    out.add(Integer.parseInt(domain.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    // A domain like "*" or "*.example.com": it names no port, as in Envoy: port 80.
                    out.add(80);
                }
            }
        }
        return Set.copyOf(out);
    }

    private record PortIndex(@Nullable RouteTable table, Set<Integer> ports) {}
}

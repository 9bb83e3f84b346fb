package io.zonemesh.proxy.capture;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.ByteTunnel;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.tcp.TcpObserver;
import io.zonemesh.proxy.tcp.TcpSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's {@code tcp_proxy} to the {@code PassthroughCluster}: the downstream connection's bytes
 * go unchanged to its original destination and back. The upstream connection lives on the
 * downstream's event loop; once it is up, both become a {@link ByteTunnel} (the relay the
 * WebSocket path uses too), so a slow peer holds back the fast one instead of the heap.
 */
public final class TcpPassthrough extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpPassthrough.class);
    /** Envoy's cluster {@code connect_timeout} default for Istio's PassthroughCluster (10 s). */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** Envoy's cluster for connections to their original destination. */
    public static final String PASSTHROUGH_CLUSTER = "PassthroughCluster";

    private final InetSocketAddress destination;
    private final Class<? extends Channel> channelType;
    private final TcpSession session;

    @SuppressWarnings("NullAway.Init") // set in channelActive, before any read is asked for
    private Channel upstream;

    public TcpPassthrough(InetSocketAddress destination, Class<? extends Channel> channelType) {
        this(destination, channelType, new TcpSession(TcpObserver.NONE, "", Direction.OUTBOUND));
    }

    /** @param session reports the connection to Istio's TCP metrics */
    public TcpPassthrough(InetSocketAddress destination, Class<? extends Channel> channelType, TcpSession session) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
        this.session = Objects.requireNonNull(session, "session");
        session.passthrough(PASSTHROUGH_CLUSTER, destination);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel downstream = ctx.channel();
        ChannelFuture connect = new Bootstrap()
                .group(downstream.eventLoop())
                .channel(channelType)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                // The tunnel's relay takes the upstream's pipeline once connected; nothing is read before.
                .handler(new ChannelInboundHandlerAdapter())
                .connect(destination);
        upstream = connect.channel();
        connect.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                log.debug("passthrough to {} failed: {}", destination, f.cause().toString());
                // As Envoy's tcp_proxy with one connect attempt.
                session.flag(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
                session.flag(ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED);
                downstream.close();
            } else if (!downstream.isActive()) {
                upstream.close();
            } else {
                ctx.pipeline().remove(this);
                // Envoy's tcp_proxy idle_timeout (1 h) is not applied: passthrough connections
                // live as long as their ends keep them.
                session.onConnected(downstream);
                ByteTunnel.open(downstream, upstream, Duration.ZERO);
                // In front of the relay, so that it counts every byte either way and reports the close.
                downstream.pipeline().addFirst("tcp-bytes", session.byteCounter());
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // Only before the tunnel took over: the downstream left while connecting.
        upstream.close();
        session.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("passthrough downstream {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

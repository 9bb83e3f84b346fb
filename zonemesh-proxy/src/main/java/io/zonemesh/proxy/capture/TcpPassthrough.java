package io.zonemesh.proxy.capture;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's {@code tcp_proxy} to the {@code PassthroughCluster}: the downstream connection's bytes
 * go unchanged to its original destination and back. The upstream connection lives on the
 * downstream's event loop; each side reads again only once the other side has flushed what it
 * read (Netty's proxy example), so a slow peer holds back the fast one instead of the heap.
 */
public final class TcpPassthrough extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TcpPassthrough.class);
    /** Envoy's cluster {@code connect_timeout} default for Istio's PassthroughCluster (10 s). */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final InetSocketAddress destination;
    private final Class<? extends Channel> channelType;

    @SuppressWarnings("NullAway.Init") // set in channelActive, before any read is asked for
    private Channel upstream;

    public TcpPassthrough(InetSocketAddress destination, Class<? extends Channel> channelType) {
        this.destination = Objects.requireNonNull(destination, "destination");
        this.channelType = Objects.requireNonNull(channelType, "channelType");
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
                .handler(new Relay(downstream))
                .connect(destination);
        upstream = connect.channel();
        connect.addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                downstream.read();
                upstream.read();
            } else {
                log.debug("passthrough to {} failed: {}", destination, f.cause().toString());
                downstream.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Ownership of msg passes to the upstream write, which releases it.
        upstream.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                ctx.channel().read();
            } else {
                ctx.channel().close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(upstream);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("passthrough downstream {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        closeOnFlush(ctx.channel());
    }

    /** Closes a channel once what was written to it is out. */
    static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** The upstream side: bytes back to the downstream, with the same read-after-flush rule. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel downstream;

        Relay(Channel downstream) {
            this.downstream = downstream;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            downstream.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.channel().read();
                } else {
                    ctx.channel().close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(downstream);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("passthrough upstream {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            closeOnFlush(ctx.channel());
        }
    }
}

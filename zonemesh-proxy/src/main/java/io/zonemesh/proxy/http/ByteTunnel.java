package io.zonemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The raw byte relay between two connections on one event loop: a client and its upstream after
 * an HTTP/1.1 {@code Upgrade} (a WebSocket) was answered 101, as Envoy's upgrade streams, and a
 * captured connection passed through as TCP to its original destination, as Envoy's
 * {@code tcp_proxy}. Netty's proxy rule in both directions (a side is read again only once what
 * it sent was flushed to the other, so neither buffers more than a read), and when one side
 * closes, the other closes after its pending writes.
 *
 * <p>Each side gets a relay handler at the front of its pipeline (behind TLS), which consumes
 * every byte: the HTTP codecs and handlers behind it never see frames. Bytes the upstream codec
 * had already decoded past the 101 come through {@link #fromUpstream}. An idle timeout (Envoy's
 * {@code stream_idle_timeout} on upgrades) closes both when no byte moved either way for that
 * long. Both channels share one event loop (the pool's rule), so no state here needs a lock.
 */
public final class ByteTunnel {
    private final Relay client = new Relay();
    private final Relay server = new Relay();

    private ByteTunnel() {
        client.peer = server;
        server.peer = client;
    }

    /**
     * Installs the relay on both channels and starts reading both. After an upgrade, call right
     * after the 101 was written to the client: the relay writes from the front of the pipeline,
     * past the HTTP encoder, so its bytes queue behind the 101's.
     *
     * @param idleTimeout zero for none
     */
    public static ByteTunnel open(Channel downstream, Channel upstream, Duration idleTimeout) {
        ByteTunnel tunnel = new ByteTunnel();
        ChannelPipeline clientSide = downstream.pipeline();
        String after = frontOf(clientSide);
        if (!idleTimeout.isZero()) {
            addFront(
                    clientSide,
                    after,
                    "tunnel-idle",
                    new IdleStateHandler(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS));
            clientSide.addAfter("tunnel-idle", "tunnel-relay", tunnel.client);
        } else {
            addFront(clientSide, after, "tunnel-relay", tunnel.client);
        }
        ChannelPipeline serverSide = upstream.pipeline();
        addFront(serverSide, frontOf(serverSide), "tunnel-relay", tunnel.server);
        tunnel.client.ctx.read();
        tunnel.server.ctx.read();
        return tunnel;
    }

    /**
     * Client bytes read before the tunnel opened (sent behind an upgrade request, before the 101;
     * a ClientHello a TCP listener peeked at): they go upstream first. Takes ownership.
     */
    public void fromClient(ByteBuf bytes) {
        if (bytes.isReadable()) {
            client.relay(bytes);
        } else {
            bytes.release();
        }
    }

    /** Upstream bytes that arrived with the 101 and went through the codec. */
    void fromUpstream(ByteBuf bytes) {
        server.relay(bytes);
    }

    /** The name of the TLS handler to put the relay behind, or null to put it first. */
    private static @Nullable String frontOf(ChannelPipeline pipeline) {
        SslHandler ssl = pipeline.get(SslHandler.class);
        return ssl == null ? null : pipeline.context(ssl).name();
    }

    private static void addFront(
            ChannelPipeline pipeline, @Nullable String after, String name, ChannelHandler handler) {
        if (after == null) {
            pipeline.addFirst(name, handler);
        } else {
            pipeline.addAfter(after, name, handler);
        }
    }

    /**
     * One side's relay: consumes the side's bytes and writes them to the peer from the peer's
     * own position (so the HTTP handlers behind the relays see neither direction), then reads
     * this side again once the peer flushed them.
     */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        // The tunnel's constructor pairs the two relays before either is added to a pipeline.
        @SuppressWarnings("NullAway.Init")
        private Relay peer;
        // Set in handlerAdded, before Netty calls any other method of this handler.
        @SuppressWarnings("NullAway.Init")
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void relay(ByteBuf bytes) {
            ChannelHandlerContext to = peer.ctx;
            if (!to.channel().isActive()) {
                bytes.release();
                return;
            }
            to.writeAndFlush(bytes).addListener((ChannelFutureListener) written -> {
                if (written.isSuccess()) {
                    ctx.read();
                } else {
                    ctx.close();
                    peer.closeOnFlush();
                }
            });
        }

        void closeOnFlush() {
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf bytes) {
                relay(bytes);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            // Consumed: the HTTP handlers behind would ask for reads of their own.
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                // Envoy's stream idle timeout on an upgraded stream: nothing moved either way.
                ctx.close();
                peer.closeOnFlush();
                return;
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peer.closeOnFlush();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
            peer.closeOnFlush();
        }
    }
}

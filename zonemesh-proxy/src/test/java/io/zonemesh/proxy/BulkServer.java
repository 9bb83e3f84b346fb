package io.zonemesh.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test upstream for large bodies that never holds one in memory: {@code GET /download/<n>}
 * answers {@code n} bytes with a Content-Length, written only while the connection is writable;
 * any other request has its body counted as it arrives and is answered {@code received <n>}
 * (with the status set by {@link #status}) once it is complete. {@link #holdBodies} stalls it.
 */
final class BulkServer implements AutoCloseable {
    private static final int PIECE = 64 * 1024;

    private final Channel server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Channel> held = ConcurrentHashMap.newKeySet();
    private volatile int status = 200;
    private volatile boolean holdBodies;

    BulkServer(EventLoopGroup group) {
        this.server = new ServerBootstrap()
                .group(group)
                .channel(Transport.of(group).serverChannelType())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    String address() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Requests whose head arrived. */
    int requests() {
        return requests.get();
    }

    void status(int code) {
        this.status = code;
    }

    /** From now on, stops reading a connection after a request's head: its body stays unread (a stalled upstream). */
    void holdBodies() {
        holdBodies = true;
    }

    /** Reads the held bodies after all, and later ones at once. */
    void release() {
        holdBodies = false;
        for (Channel channel : held) {
            channel.config().setAutoRead(true);
        }
        held.clear();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private long received;
        private long toSend;
        private boolean keepAlive;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    requests.incrementAndGet();
                    received = 0;
                    keepAlive = HttpUtil.isKeepAlive(request);
                    if (holdBodies) {
                        held.add(ctx.channel());
                        ctx.channel().config().setAutoRead(false);
                    }
                    if (request.uri().startsWith("/download/")) {
                        toSend = Long.parseLong(request.uri().substring("/download/".length()));
                    }
                }
                if (msg instanceof HttpContent content) {
                    received += content.content().readableBytes();
                }
                if (msg instanceof LastHttpContent) {
                    if (toSend > 0) {
                        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                        HttpUtil.setContentLength(head, toSend);
                        ctx.write(head);
                        writeWhileWritable(ctx);
                    } else {
                        ByteBuf body = ByteBufUtil.writeAscii(ctx.alloc(), "received " + received);
                        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), body);
                        HttpUtil.setContentLength(response, body.readableBytes());
                        HttpUtil.setKeepAlive(response, keepAlive);
                        ctx.writeAndFlush(response);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void writeWhileWritable(ChannelHandlerContext ctx) {
            while (toSend > 0 && ctx.channel().isWritable()) {
                int size = (int) Math.min(PIECE, toSend);
                toSend -= size;
                ByteBuf piece = ctx.alloc().buffer(size).writeZero(size);
                ctx.write(
                        toSend == 0
                                ? new io.netty.handler.codec.http.DefaultLastHttpContent(piece)
                                : new DefaultHttpContent(piece));
            }
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (toSend > 0 && ctx.channel().isWritable()) {
                writeWhileWritable(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }
    }
}

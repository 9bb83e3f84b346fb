package io.zonemesh.cli.echo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Poll;
import io.zonemesh.proxy.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The built-in sample application of the local mesh, answering every HTTP request like Istio's
 * helloworld sample: {@code Hello version: <version>, instance: <pod name>}. It can be stopped
 * and started again on the same port, which is how the demo makes a zone fail and recover.
 */
public final class EchoServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final String body;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private @Nullable Channel listener;
    private int port;

    public EchoServer(EventLoopGroup group, String version, String instance) {
        this(
                group,
                "Hello version: " + Objects.requireNonNull(version, "version") + ", instance: "
                        + Objects.requireNonNull(instance, "instance") + "\n");
    }

    /** A server that answers every request with {@code body} (e.g. an "external" endpoint). */
    public EchoServer(EventLoopGroup group, String body) {
        this.group = Objects.requireNonNull(group, "group");
        this.body = Objects.requireNonNull(body, "body");
    }

    /** Binds {@code host:port} (port 0 picks one the first time) and returns the bound port. */
    public synchronized int start(String host, int requestedPort) throws InterruptedException {
        if (listener != null) {
            return port;
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transport.of(group).serverChannelType())
                // Restarting on the same port must work while closed connections sit in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                });
        listener = b.bind(host, requestedPort).sync().channel();
        port = ((InetSocketAddress) listener.localAddress()).getPort();
        return port;
    }

    /**
     * Starts again on the port it had, after {@link #stop()}. While the server was down the kernel
     * may have handed that port to some outgoing connection as its ephemeral port; such a
     * connection is short-lived, so binding is retried every {@value #REBIND_PAUSE_MILLIS} ms for
     * up to {@value #REBIND_TIMEOUT_MILLIS} ms (with {@link Poll}, the house's bounded wait on real
     * time) before the bind error is thrown. Never call this from an event loop.
     */
    public synchronized int restart() throws InterruptedException {
        int[] bound = {-1};
        Exception[] failure = {null};
        try {
            Poll.until(
                    () -> {
                        try {
                            bound[0] = start("127.0.0.1", port);
                            return true;
                        } catch (Exception e) {
                            failure[0] = e;
                            // Only "address in use" is worth another try; anything else ends the wait.
                            return !Transport.isAddressInUse(e);
                        }
                    },
                    Duration.ofMillis(REBIND_TIMEOUT_MILLIS),
                    Duration.ofMillis(REBIND_PAUSE_MILLIS),
                    "127.0.0.1:" + port + " to be free");
        } catch (TimeoutException e) {
            // failure holds the last "address in use": thrown below.
        }
        if (bound[0] >= 0) {
            return bound[0];
        }
        Exception e = Objects.requireNonNull(failure[0], "no port and no failure");
        if (e instanceof InterruptedException interrupted) {
            throw interrupted;
        }
        if (e instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        // Netty rethrows a failed bind's BindException unchecked; callers test it with isAddressInUse.
        throw new UncheckedIOException(e instanceof IOException io ? io : new IOException(e));
    }

    private static final long REBIND_TIMEOUT_MILLIS = 5_000;
    private static final long REBIND_PAUSE_MILLIS = 50;

    /** Stops listening and closes open connections, as a crashed or deleted pod would. */
    public synchronized void stop() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
            listener = null;
        }
        connections.close().awaitUninterruptibly();
    }

    public synchronized boolean running() {
        return listener != null;
    }

    public synchronized int port() {
        return port;
    }

    /** The body this instance answers with. */
    public String greeting() {
        return body;
    }

    @Override
    public void close() {
        stop();
    }

    /** {@code ?delay=<ms>} (at most 10 s), else 0. */
    static long delayMillis(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return 0;
        }
        for (String param : uri.substring(q + 1).split("&")) {
            if (param.startsWith("delay=")) {
                try {
                    return Math.max(0, Math.min(10_000, Long.parseLong(param.substring(6))));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            long delayMillis = delayMillis(req.uri());
            if (delayMillis > 0) {
                // httpbin's /delay: answer later without holding the event loop, so a caller can fill a pool.
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                ctx.executor().schedule(() -> respond(ctx, keepAlive), delayMillis, TimeUnit.MILLISECONDS);
                return;
            }
            respond(ctx, HttpUtil.isKeepAlive(req));
        }

        private void respond(ChannelHandlerContext ctx, boolean keepAlive) {
            ByteBuf body = Unpooled.copiedBuffer(greeting(), StandardCharsets.UTF_8);
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            if (keepAlive) {
                ctx.writeAndFlush(res);
            } else {
                res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

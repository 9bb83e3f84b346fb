package io.zonemesh.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.zonemesh.proxy.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 upstream for tests on 127.0.0.1: answers {@code <name> <method> <uri>} (keep-alive),
 * records each request's Host header and counts connections. Its {@link Behaviour} can make it
 * misbehave on purpose.
 */
public final class EchoServer implements AutoCloseable {
    private static final byte[] MEBIBYTE_OF_X = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final Channel server;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private final List<HttpHeaders> requestHeaders = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = Behaviour.RESPOND;
    private volatile HttpResponseStatus status = HttpResponseStatus.OK;

    /** How the server treats requests. */
    public enum Behaviour {
        RESPOND,
        /** Never answers (provokes timeouts). */
        SILENT,
        /** Closes the connection on receiving a request, without answering. */
        CLOSE,
        /**
         * Answers the first request of each connection (keep-alive, no {@code Connection: close})
         * and closes the connection when a second one arrives on it, as a server whose idle
         * timeout fired just as the client reused the connection.
         */
        FIRST_ONLY,
        /** Answers with a body one byte over the proxy's 10 MiB limit, with a Content-Length. */
        HUGE,
        /** Answers with an 8 MiB body with a Content-Length. */
        BIG,
        /** Answers with a chunked body of 3 MiB in 1 MiB chunks (no Content-Length). */
        STREAM,
        /** Answers with a chunked body of 11 MiB in 1 MiB chunks, over the proxy's 10 MiB limit. */
        STREAM_HUGE
    }

    public EchoServer(String name, EventLoopGroup group) {
        this(name, group, null);
    }

    /** An echo server that terminates TLS with {@code ssl} when it is not null. */
    public EchoServer(String name, EventLoopGroup group, io.netty.handler.ssl.SslContext ssl) {
        this.name = name;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(Transport.of(group).serverChannelType())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.incrementAndGet();
                        connections.add(ch);
                        ch.closeFuture().addListener(f -> connections.remove(ch));
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Handler());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public String name() {
        return name;
    }

    /** Connections accepted so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    public int openConnections() {
        return connections.size();
    }

    public int requests() {
        return requests.get();
    }

    /** The Host header of every request, in order. */
    public List<String> hosts() {
        return List.copyOf(hosts);
    }

    /** Every request's body as UTF-8, in order. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    /** A copy of every request's headers, in order. */
    public List<HttpHeaders> requestHeaders() {
        return List.copyOf(requestHeaders);
    }

    public void behaviour(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /** The status of later {@link Behaviour#RESPOND} answers (200 until set). */
    public void status(int code) {
        this.status = HttpResponseStatus.valueOf(code);
    }

    /**
     * Stops listening and closes every connection, as a crashed server would: once this returns,
     * a connect to the port is refused.
     */
    @Override
    public void close() {
        boolean listening = server.isOpen();
        int port = port();
        server.close().syncUninterruptibly();
        for (Channel connection : connections) {
            connection.close().syncUninterruptibly();
        }
        if (listening) {
            // As after a crash: the port refuses (on NIO only once the selector lets go of it).
            RawHttpClient.awaitRefused(port);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private int served;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            requests.incrementAndGet();
            hosts.add(request.headers().get(HttpHeaderNames.HOST, ""));
            requestHeaders.add(request.headers().copy());
            bodies.add(request.content().toString(StandardCharsets.UTF_8));
            Behaviour now = behaviour;
            if (now == Behaviour.SILENT) {
                return;
            }
            if (now == Behaviour.CLOSE || (now == Behaviour.FIRST_ONLY && served > 0)) {
                ctx.close();
                return;
            }
            served++;
            if (now == Behaviour.STREAM || now == Behaviour.STREAM_HUGE) {
                stream(ctx, request, now == Behaviour.STREAM ? 3 : 11);
                return;
            }
            String body = name + " " + request.method() + " " + request.uri();
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1,
                    status,
                    now == Behaviour.HUGE
                            ? ctx.alloc().buffer().writeZero(10 * 1024 * 1024 + 1)
                            : now == Behaviour.BIG
                                    ? ctx.alloc().buffer().writeZero(8 * 1024 * 1024)
                                    : ByteBufUtil.writeUtf8(ctx.alloc(), body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set("x-echo-server", name);
            HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
            var written = ctx.writeAndFlush(response);
            if (!HttpUtil.isKeepAlive(request)) {
                written.addListener(f -> ctx.close());
            }
        }

        /** A chunked response of {@code mebibytes} 1 MiB chunks of 'x'. */
        private void stream(ChannelHandlerContext ctx, FullHttpRequest request, int mebibytes) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
            head.headers()
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set("x-echo-server", name);
            HttpUtil.setKeepAlive(head, HttpUtil.isKeepAlive(request));
            ctx.write(head);
            for (int i = 0; i < mebibytes; i++) {
                // One bulk write: a byte at a time is slow under paranoid leak detection.
                ByteBuf chunk = ctx.alloc().buffer(1 << 20).writeBytes(MEBIBYTE_OF_X);
                ctx.writeAndFlush(new DefaultHttpContent(chunk));
            }
            var written = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            if (!HttpUtil.isKeepAlive(request)) {
                written.addListener(f -> ctx.close());
            }
        }
    }
}

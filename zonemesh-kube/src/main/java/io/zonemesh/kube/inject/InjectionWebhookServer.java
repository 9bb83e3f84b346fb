package io.zonemesh.kube.inject;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server of the injection webhook: {@code POST /inject} with an AdmissionReview
 * (istiod's path; its Service maps 443 to this port). Anything else is 404 or 405. The API
 * server's requests are small (one Pod, at most 3 MiB as any object) and handled on the event
 * loop: injection is a pure tree transformation, it never blocks.
 */
public final class InjectionWebhookServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InjectionWebhookServer.class);
    /** The API server's object size limit plus the AdmissionReview around it. */
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel server;

    private InjectionWebhookServer(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /**
     * Starts the webhook on {@code bind} serving TLS with the PEM certificate chain and key, and
     * injecting with {@code config}. The one call {@code zonemesh control-plane} makes.
     */
    public static InjectionWebhookServer start(
            InetSocketAddress bind, File certChainPem, File keyPem, InjectionConfig config)
            throws InterruptedException, SSLException {
        SslContext tls = SslContextBuilder.forServer(certChainPem, keyPem).build();
        return start(bind, tls, new AdmissionReviewHandler(new SidecarInjector(config)));
    }

    /** Starts the webhook with a ready TLS context and handler (tests). */
    public static InjectionWebhookServer start(InetSocketAddress bind, SslContext tls, AdmissionReviewHandler handler)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(
                                            tls.newHandler(ch.alloc()),
                                            new HttpServerCodec(),
                                            new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                            new WebhookHandler(handler));
                        }
                    })
                    .bind(bind)
                    .sync()
                    .channel();
            return new InjectionWebhookServer(group, server);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The address the server listens on (its port when bound to port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class WebhookHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final AdmissionReviewHandler handler;

        WebhookHandler(AdmissionReviewHandler handler) {
            this.handler = handler;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            if (!path.equals("/inject")) {
                reply(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain", bytes("no such path: " + path + "\n"));
            } else if (!request.method().equals(HttpMethod.POST)) {
                reply(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain", bytes("POST only\n"));
            } else {
                try {
                    byte[] answer = handler.handle(ByteBufUtil.getBytes(request.content()));
                    reply(ctx, request, HttpResponseStatus.OK, "application/json", answer);
                } catch (IllegalArgumentException e) {
                    log.warn(
                            "injection webhook: bad request from {}: {}",
                            ctx.channel().remoteAddress(),
                            e.getMessage());
                    reply(ctx, request, HttpResponseStatus.BAD_REQUEST, "text/plain", bytes(e.getMessage() + "\n"));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("injection webhook connection {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }

        private static void reply(
                ChannelHandlerContext ctx,
                FullHttpRequest request,
                HttpResponseStatus status,
                String contentType,
                byte[] body) {
            FullHttpResponse response =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            HttpUtil.setContentLength(response, body.length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var write = ctx.writeAndFlush(response);
            if (!keepAlive) {
                write.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}

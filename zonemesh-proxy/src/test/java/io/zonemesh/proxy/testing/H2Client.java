package io.zonemesh.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.SslContext;
import io.zonemesh.proxy.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A small HTTP/2 client for tests: h2c with prior knowledge, or h2 over TLS when given a context. */
public final class H2Client {
    private H2Client() {}

    /**
     * Sends a GET of each absolute URI as its own stream on one connection to 127.0.0.1:{@code port};
     * returns each response as {@code "<status> <body>"}.
     *
     * @param tls null for h2c; else a client context offering h2 by ALPN, with {@code sni}
     */
    public static List<String> get(EventLoopGroup group, int port, SslContext tls, String sni, List<String> uris)
            throws Exception {
        Channel connection = new Bootstrap()
                .group(group)
                .channel(Transport.of(group).channelType())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), sni, port));
                        }
                        ch.pipeline()
                                .addLast(
                                        Http2FrameCodecBuilder.forClient().build(),
                                        new Http2MultiplexHandler(new SimpleChannelInboundHandler<Object>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, Object msg) {}
                                        }));
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port))
                .sync()
                .channel();
        try {
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (String uri : uris) {
                CompletableFuture<String> reply = new CompletableFuture<>();
                replies.add(reply);
                Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                        .handler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline()
                                        .addLast(
                                                new Http2StreamFrameToHttpObjectCodec(false),
                                                new HttpObjectAggregator(1 << 20),
                                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                                    @Override
                                                    protected void channelRead0(
                                                            ChannelHandlerContext ctx, FullHttpResponse response) {
                                                        reply.complete(response.status()
                                                                        .code() + " "
                                                                + response.content()
                                                                        .toString(StandardCharsets.UTF_8));
                                                    }
                                                });
                            }
                        })
                        .open()
                        .sync()
                        .getNow();
                stream.writeAndFlush(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
            }
            List<String> out = new ArrayList<>();
            for (CompletableFuture<String> reply : replies) {
                out.add(reply.get(10, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            connection.close().sync();
        }
    }
}

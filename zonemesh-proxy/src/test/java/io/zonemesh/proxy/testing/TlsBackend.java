package io.zonemesh.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.zonemesh.proxy.Transport;
import io.zonemesh.proxy.identity.WorkloadSecret;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLException;

/**
 * A mutual-TLS server on 127.0.0.1 port 0, as a sidecar's inbound: requires a client certificate
 * of the given roots, accepts Istio's ALPN, and after the handshake writes its name and a newline,
 * then echoes what it reads. Records each client's leaf certificate and negotiated ALPN.
 */
public final class TlsBackend implements AutoCloseable {
    private final String name;
    private final Channel server;
    private final List<X509Certificate> clientCertificates = new CopyOnWriteArrayList<>();
    private final List<String> protocols = new CopyOnWriteArrayList<>();

    public TlsBackend(String name, WorkloadSecret identity, EventLoopGroup group) {
        this.name = name;
        SslContext ssl;
        try {
            ssl = SslContextBuilder.forServer(identity.key(), identity.chain().toArray(X509Certificate[]::new))
                    .sslProvider(SslProvider.JDK)
                    .trustManager(identity.roots().toArray(X509Certificate[]::new))
                    .clientAuth(ClientAuth.REQUIRE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            "istio-peer-exchange",
                            "istio"))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
        this.server = new ServerBootstrap()
                .group(group)
                .channel(Transport.of(group).serverChannelType())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new Greeter());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The leaf certificates clients presented, in handshake order. */
    public List<X509Certificate> clientCertificates() {
        return List.copyOf(clientCertificates);
    }

    /** The ALPN protocols negotiated, in handshake order. */
    public List<String> protocols() {
        return List.copyOf(protocols);
    }

    /** Stops listening: later connects are refused. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
    }

    private final class Greeter extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    ctx.close();
                    return;
                }
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                Certificate[] peer = ssl.engine().getSession().getPeerCertificates();
                clientCertificates.add((X509Certificate) peer[0]);
                String protocol = ssl.applicationProtocol();
                protocols.add(protocol == null ? "" : protocol);
                ctx.writeAndFlush(Unpooled.copiedBuffer(name + "\n", StandardCharsets.US_ASCII));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

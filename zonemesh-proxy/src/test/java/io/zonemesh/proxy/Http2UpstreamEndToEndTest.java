package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.ResourceType;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A cluster with explicit HTTP/2 protocol options is reached over h2c, one stream per request. */
@ExtendWith(NettyLeakCheck.class)
class Http2UpstreamEndToEndTest {
    private static EventLoopGroup group;
    private final AtomicInteger connections = new AtomicInteger();
    private ProxyFixture fixture;
    private Channel h2Server;
    private @Nullable Channel secondH2Server;
    /** Every connection the h2 servers accepted, server side. */
    private final List<Channel> accepted = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startGroup() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("Http2UpstreamEndToEndTest"));
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
        h2Server.close().syncUninterruptibly();
        if (secondH2Server != null) {
            secondH2Server.close().syncUninterruptibly();
        }
        accepted.forEach(Channel::close);
    }

    /** An h2c-only server answering {@code h2 <method> <path> <authority>}. */
    private Channel startH2Server() {
        return new ServerBootstrap()
                .group(group)
                .channel(Transport.of(group).serverChannelType())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        accepted.add(ch);
                        ch.pipeline()
                                .addLast(
                                        Http2FrameCodecBuilder.forServer().build(),
                                        new Http2MultiplexHandler(new ChannelInitializer<Channel>() {
                                            @Override
                                            protected void initChannel(Channel stream) {
                                                stream.pipeline()
                                                        .addLast(
                                                                new Http2StreamFrameToHttpObjectCodec(true),
                                                                new HttpObjectAggregator(1 << 20),
                                                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                                                    @Override
                                                                    protected void channelRead0(
                                                                            ChannelHandlerContext ctx,
                                                                            FullHttpRequest request) {
                                                                        String body = "h2 " + request.method() + " "
                                                                                + request.uri() + " "
                                                                                + request.headers()
                                                                                        .get(HttpHeaderNames.HOST);
                                                                        FullHttpResponse response =
                                                                                new DefaultFullHttpResponse(
                                                                                        HttpVersion.HTTP_1_1,
                                                                                        HttpResponseStatus.OK,
                                                                                        ByteBufUtil.writeUtf8(
                                                                                                ctx.alloc(), body));
                                                                        ctx.writeAndFlush(response);
                                                                    }
                                                                });
                                            }
                                        }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    /** Starts the fixture with its cluster over HTTP/2, served by the h2 server on {@code port}. */
    private void startWithH2Cluster(int port) {
        fixture = new ProxyFixture(group, b -> b);
        HttpProtocolOptions h2 = HttpProtocolOptions.newBuilder()
                .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                .build();
        fixture.start(ProxyFixture.cluster()
                .putTypedExtensionProtocolOptions(
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(h2))
                .build());
        moveEndpointTo(port, "2");
    }

    private void moveEndpointTo(int port, String version) {
        fixture.ads.set(
                ResourceType.ENDPOINT,
                version,
                io.zonemesh.proxy.testing.EnvoyResources.cla(
                        ProxyFixture.CLUSTER,
                        io.zonemesh.proxy.testing.EnvoyResources.locality("r", "z", 0, "127.0.0.1:" + port)));
        org.awaitility.Awaitility.await()
                .atMost(ProxyFixture.WAIT)
                .until(() -> RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/probe")
                        .body()
                        .startsWith("h2 "));
    }

    private static int port(Channel server) {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Test
    void requestsBecomeStreamsOfOneH2cConnection() {
        h2Server = startH2Server();
        startWithH2Cluster(port(h2Server));

        for (int i = 0; i < 5; i++) {
            Response response = RawHttpClient.get(fixture.port(), "http://" + ProxyFixture.AUTHORITY + "/r" + i);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("h2 GET /r" + i + " " + ProxyFixture.AUTHORITY);
            assertThat(response.headers().keySet()).noneMatch(n -> n.startsWith("x-http2-"));
        }
        // The probe and the five requests were streams of one connection.
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void theConnectionToAHostThatLeftTheClusterIsClosed() {
        h2Server = startH2Server();
        secondH2Server = startH2Server();
        startWithH2Cluster(port(h2Server));
        assertThat(accepted).hasSize(1);
        Channel first = accepted.get(0);

        moveEndpointTo(port(secondH2Server), "3");

        // As an idle HTTP/1 connection to a removed host is closed (Envoy drains such pools).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !first.isActive());
        assertThat(accepted).hasSize(2);
    }
}

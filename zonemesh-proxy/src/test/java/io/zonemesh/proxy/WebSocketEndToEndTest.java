package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.ResourceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * WebSockets through the proxy over real sockets, as Istio proxies them by default: the upgrade
 * request goes upstream with its {@code Upgrade} and {@code Connection}, the 101 comes back, and
 * frames flow both ways; an upgrade request answered otherwise is a plain exchange.
 */
@ExtendWith(NettyLeakCheck.class)
class WebSocketEndToEndTest {
    private static final int MAX_FRAME = 1 << 20;

    private EventLoopGroup group;
    private ProxyFixture fixture;
    private Channel echo;

    @BeforeEach
    void setUp() {
        group = Transport.preferred().newGroup(2, new DefaultThreadFactory("WebSocketEndToEndTest"));
        fixture = new ProxyFixture(group, b -> b).start(ProxyFixture.cluster().build());
    }

    @AfterEach
    void tearDown() {
        if (echo != null) {
            echo.close().syncUninterruptibly();
        }
        fixture.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A WebSocket echo server on /ws (Netty's server protocol handler), made the cluster's endpoint. */
    private void startEchoUpstream() {
        echo = new ServerBootstrap()
                .group(group)
                .channel(Transport.of(group).serverChannelType())
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(65536),
                                        new WebSocketServerProtocolHandler("/ws", null, false, MAX_FRAME),
                                        new SimpleChannelInboundHandler<WebSocketFrame>() {
                                            @Override
                                            protected void channelRead0(
                                                    ChannelHandlerContext ctx, WebSocketFrame frame) {
                                                ctx.writeAndFlush(frame.retainedDuplicate());
                                            }
                                        });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
        String address = "127.0.0.1:" + ((InetSocketAddress) echo.localAddress()).getPort();
        fixture.ads.set(ResourceType.ENDPOINT, "2", cla(ProxyFixture.CLUSTER, locality("r", "z", 0, address)));
        await().atMost(ProxyFixture.WAIT)
                .until(() -> fixture.proxy.snapshot().cluster(ProxyFixture.CLUSTER).hosts().stream()
                        .anyMatch(h -> h.key().equals(address)));
    }

    /** A Netty WebSocket client to /ws through the proxy; handshake events and frames go to {@code received}. */
    private Channel connectClient(BlockingQueue<Object> received) {
        return new Bootstrap()
                .group(group)
                .channel(Transport.of(group).channelType())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpClientCodec(),
                                        new HttpObjectAggregator(65536),
                                        new WebSocketClientProtocolHandler(
                                                WebSocketClientHandshakerFactory.newHandshaker(
                                                        URI.create("ws://" + ProxyFixture.AUTHORITY + "/ws"),
                                                        WebSocketVersion.V13,
                                                        null,
                                                        false,
                                                        new DefaultHttpHeaders(),
                                                        MAX_FRAME)),
                                        new SimpleChannelInboundHandler<WebSocketFrame>() {
                                            @Override
                                            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                                received.add(event);
                                            }

                                            @Override
                                            protected void channelRead0(
                                                    ChannelHandlerContext ctx, WebSocketFrame frame) {
                                                received.add(
                                                        frame instanceof TextWebSocketFrame text
                                                                ? text.text()
                                                                : ByteBufUtil.getBytes(frame.content()));
                                            }
                                        });
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", fixture.port()))
                .syncUninterruptibly()
                .channel();
    }

    @Test
    void aWebSocketEchoesThroughTheProxyBothWays() throws Exception {
        startEchoUpstream();
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        Channel client = connectClient(received);
        try {
            assertThat(received.poll(30, TimeUnit.SECONDS))
                    .isEqualTo(WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_ISSUED);
            assertThat(received.poll(30, TimeUnit.SECONDS))
                    .isEqualTo(WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);

            client.writeAndFlush(new TextWebSocketFrame("hello through the mesh"));
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("hello through the mesh");

            // A frame far larger than a socket read, relayed piece by piece in both directions.
            byte[] big = new byte[MAX_FRAME];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            client.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(big)));
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(big);
        } finally {
            client.close().syncUninterruptibly();
        }
        assertThat(fixture.balancers.get(ProxyFixture.CLUSTER).events()).anyMatch(e -> e.endsWith(" 101"));
    }

    @Test
    void aTunnelWithNothingMovingClosesAfterTheStreamIdleTimeout() throws Exception {
        fixture.close();
        fixture = new ProxyFixture(group, b -> b.streamIdleTimeout(Duration.ofSeconds(1)))
                .start(ProxyFixture.cluster().build());
        startEchoUpstream();
        BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        Channel client = connectClient(received);
        try {
            received.poll(30, TimeUnit.SECONDS);
            assertThat(received.poll(30, TimeUnit.SECONDS))
                    .isEqualTo(WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE);
            client.writeAndFlush(new TextWebSocketFrame("still here"));
            assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("still here");

            // Envoy's stream idle timeout applies to an upgraded stream: idle for 1 s, both sides close.
            await().atMost(ProxyFixture.WAIT).until(() -> !client.isActive());
        } finally {
            client.close().syncUninterruptibly();
        }
    }

    @Test
    void anUpgradeRequestAnsweredWithoutA101IsAPlainExchangeAndOpensNoTunnel() {
        // The echo server is HTTP only: it answers 200 to the upgrade request (CVE-2024-23326).
        try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
            Response upgrade = client.send(ProxyFixture.request(
                    "GET",
                    "/ws",
                    "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: 13\r\n"));
            assertThat(upgrade.status()).isEqualTo(200);
            assertThat(upgrade.body()).isEqualTo("upstream GET /ws");

            Response next = client.send(ProxyFixture.request("GET", "/after", ""));
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("upstream GET /after");
        }
        // The upgrade was asked for on the upstream hop too.
        assertThat(fixture.upstream.requestHeaders().get(0).get("upgrade")).isEqualTo("websocket");
        assertThat(fixture.upstream.requestHeaders().get(0).get("connection")).isEqualToIgnoringCase("upgrade");
    }

    private static final String HANDSHAKE = "Connection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    /** A client's text frame: FIN, opcode 1, masked (RFC 6455 5.3), a payload under 126 bytes. */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x11, 0x22, 0x33, 0x44};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** Reads a response head up to its blank line; at most 64 KiB. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 65536) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aFirstFrameSentInTheSameWriteAsTheUpgradeRequestReachesTheUpstream() throws Exception {
        startEchoUpstream();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", fixture.port()), 10_000);
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(("GET /ws HTTP/1.1\r\nHost: " + ProxyFixture.AUTHORITY + "\r\n" + HANDSHAKE + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            // Not waiting for the 101 (RFC 6455 says a client should; some do not).
            out.writeBytes(maskedText("early"));
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();

            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 101 ");
            // The echo server's frame back: FIN + text, unmasked, "early".
            byte[] echoed = socket.getInputStream().readNBytes(7);
            assertThat(echoed).containsExactly(0x81, 5, 'e', 'a', 'r', 'l', 'y');
        }
    }

    @Test
    void anUpgradeInAnHttp10RequestIsIgnored() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", fixture.port()), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /ws HTTP/1.0\r\nHost: " + ProxyFixture.AUTHORITY + "\r\n" + HANDSHAKE + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            // (Envoy answers an HTTP/1.0 request with an HTTP/1.1 status line too.)
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
        }
        // RFC 9110 7.8: a server ignores Upgrade in an HTTP/1.0 request, so the upgrade is not asked for upstream.
        assertThat(fixture.upstream.requestHeaders().get(0).get("upgrade")).isNull();
    }

    @Test
    void aSwitchingProtocolsAnswerToARequestWithoutUpgradeIsA502AndNoTunnel() {
        fixture.upstream.status(101);
        try (RawHttpClient client = RawHttpClient.connect(fixture.port())) {
            Response unasked = client.send(ProxyFixture.request("GET", "/plain", ""));
            assertThat(unasked.status()).isEqualTo(502);

            // Still HTTP/1.1 on the client's connection: the next request is served.
            fixture.upstream.status(200);
            Response next = client.send(ProxyFixture.request("GET", "/after", ""));
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.body()).isEqualTo("upstream GET /after");
        }
    }
}

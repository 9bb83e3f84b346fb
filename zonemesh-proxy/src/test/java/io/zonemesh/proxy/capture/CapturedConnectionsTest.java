package io.zonemesh.proxy.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.RouteTable;
import io.zonemesh.proxy.config.VirtualHostConfig;
import io.zonemesh.proxy.tcp.TcpConnectionRecord;
import io.zonemesh.proxy.tcp.TcpObserver;
import io.zonemesh.proxy.tcp.TcpSession;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The capture decision and the TCP passthrough over real sockets on 127.0.0.1; the original
 * destination is given (TPROXY's local address needs a netns, see the capture test in the CLI).
 */
class CapturedConnectionsTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void passesNonHttpPortsThroughToTheOriginalDestinationBothWays() throws Exception {
        Channel echo = echoServer();
        InetSocketAddress destination = (InetSocketAddress) echo.localAddress();
        AtomicReference<Boolean> diverted = new AtomicReference<>();
        CapturedConnections capture = new CapturedConnections(
                ch -> destination, () -> routes("helloworld.sample:5000"), NioSocketChannel.class);
        Channel listener = listener(capture, diverted);
        try (Socket client = connect(listener)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            byte[] message = "PING not-http\r\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                out.write(message);
                out.flush();
                assertThat(in.readNBytes(message.length)).isEqualTo(message);
            }
            client.shutdownOutput();
            assertThat(in.read()).as("the upstream's close reaches the client").isEqualTo(-1);
        }
        assertThat(diverted.get()).isTrue();
    }

    @Test
    void reportsAPassedThroughConnectionToIstiosTcpMetrics() throws Exception {
        Channel echo = echoServer();
        InetSocketAddress destination = (InetSocketAddress) echo.localAddress();
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        TcpObserver recorder = new TcpObserver() {
            @Override
            public void onOpened(TcpConnectionRecord record) {
                events.add("opened " + record.cluster() + " " + record.destination() + " " + record.direction());
            }

            @Override
            public void onBytes(TcpConnectionRecord record, long received, long sent) {
                events.add("bytes " + received + "/" + sent);
            }

            @Override
            public void onClosed(TcpConnectionRecord record) {
                events.add("closed " + record.flags());
            }
        };
        CapturedConnections capture = new CapturedConnections(
                ch -> destination,
                () -> routes("helloworld.sample:5000"),
                NioSocketChannel.class,
                () -> new TcpSession(recorder, "virtualOutbound", Direction.OUTBOUND));
        AtomicReference<Boolean> diverted = new AtomicReference<>();
        try (Socket client = connect(listener(capture, diverted))) {
            byte[] message = "PING not-http\r\n".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(message);
            assertThat(client.getInputStream().readNBytes(message.length)).isEqualTo(message);
        }

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> events.size() == 3);
        assertThat(events)
                .containsExactly("opened PassthroughCluster " + destination + " OUTBOUND", "bytes 15/15", "closed []");
    }

    @Test
    void leavesHttpServicePortsAndTheListenersOwnPortToHttpRouting() throws Exception {
        RouteTable table = routes("helloworld.sample:5000", "web.sample");
        assertThat(CapturedConnections.portsOf(table)).containsExactlyInAnyOrder(5000, 80);

        AtomicReference<Boolean> diverted = new AtomicReference<>();
        CapturedConnections toService = new CapturedConnections(
                ch -> new InetSocketAddress("198.18.0.9", 5000), () -> table, NioSocketChannel.class);
        try (Socket client = connect(listener(toService, diverted))) {
            awaitDecision(diverted);
            assertThat(diverted.get()).isFalse();
        }
        AtomicReference<Boolean> own = new AtomicReference<>();
        CapturedConnections ownPort =
                new CapturedConnections(CapturedConnections::localAddress, () -> table, NioSocketChannel.class);
        try (Socket client = connect(listener(ownPort, own))) {
            awaitDecision(own);
            assertThat(own.get()).isFalse();
        }
    }

    private static void awaitDecision(AtomicReference<Boolean> decision) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .until(() -> decision.get() != null);
    }

    private static RouteTable routes(String... domains) {
        return new RouteTable("http_proxy", List.of(new VirtualHostConfig("vh", List.of(domains), List.of())));
    }

    private Channel listener(CapturedConnections capture, AtomicReference<Boolean> diverted) {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        diverted.set(capture.test(ch));
                    }
                })
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    private Channel echoServer() {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    private int echoed;

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        echoed += ((ByteBuf) msg).readableBytes();
                        ctx.writeAndFlush(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        ctx.close(); // the client's half-close: end the connection
                    }

                    @Override
                    public boolean isSharable() {
                        return true;
                    }
                })
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .bind("127.0.0.1", 0)
                .syncUninterruptibly()
                .channel();
    }

    private static Socket connect(Channel listener) throws Exception {
        Socket socket = new Socket();
        socket.connect(listener.localAddress(), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }
}

package io.zonemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The HTTP/2 side of the downstream edge, in raw frames over a real socket (so that the test
 * client does not enforce the limits it checks): the stream limit, a stalled preface, an idle
 * connection.
 */
@ExtendWith(NettyLeakCheck.class)
class Http2EdgeEndToEndTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int SETTINGS = 0x4;
    private static final int RST_STREAM = 0x3;
    private static final int GOAWAY = 0x7;
    private static final int REFUSED_STREAM = 0x7;
    private static final int PROTOCOL_ERROR = 0x1;
    private static EventLoopGroup group;
    private ProxyFixture fixture;

    /** One frame read from the proxy. */
    record Frame(int type, int flags, int streamId, byte[] payload) {
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24)
                    | ((payload[at + 1] & 0xff) << 16)
                    | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    @BeforeAll
    static void startGroup() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("Http2EdgeEndToEndTest"));
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private void start(UnaryOperator<ProxyOptions.Builder> options) {
        fixture = new ProxyFixture(group, options).start(ProxyFixture.cluster().build());
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", fixture.port()), 10_000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void frame(ByteArrayOutputStream out, int type, int flags, int streamId, byte[] payload) {
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(streamId >>> 24);
        out.write(streamId >>> 16);
        out.write(streamId >>> 8);
        out.write(streamId);
        out.write(payload, 0, payload.length);
    }

    /** {@code GET /} to the test authority, HPACK without indexing: static :method, :scheme, :path. */
    private static byte[] getHeaderBlock() {
        byte[] authority = ProxyFixture.AUTHORITY.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82);
        block.write(0x86);
        block.write(0x84);
        block.write(0x01);
        block.write(authority.length);
        block.write(authority, 0, authority.length);
        return block.toByteArray();
    }

    /** Frames until the proxy closes the connection or {@code until} frames matched; at most 1,000. */
    private static List<Frame> readFrames(Socket socket, java.util.function.Predicate<Frame> until) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        List<Frame> frames = new ArrayList<>();
        try {
            while (frames.size() < 1_000) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int streamId = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                Frame frame = new Frame(type, flags, streamId, payload);
                frames.add(frame);
                if (until.test(frame)) {
                    break;
                }
            }
        } catch (EOFException closed) {
            // The proxy closed the connection: every frame before it is in the list.
        }
        return frames;
    }

    @Test
    void theStreamPastAHundredConcurrentOnesIsRefused() throws IOException {
        start(b -> b);
        fixture.upstream.behaviour(EchoServer.Behaviour.SILENT);
        try (Socket socket = connect()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(PREFACE, 0, PREFACE.length);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            for (int i = 0; i < 101; i++) {
                frame(out, 0x1, 0x5, 1 + 2 * i, getHeaderBlock());
            }
            OutputStream raw = socket.getOutputStream();
            raw.write(out.toByteArray());
            raw.flush();

            List<Frame> frames = readFrames(socket, f -> f.type() == RST_STREAM || f.type() == GOAWAY);

            Frame serverSettings = frames.get(0);
            assertThat(serverSettings.type()).isEqualTo(SETTINGS);
            assertThat(settingValue(serverSettings, 0x3)).isEqualTo(100);
            Frame reset = frames.get(frames.size() - 1);
            assertThat(reset.type()).isEqualTo(RST_STREAM);
            assertThat(reset.streamId()).isEqualTo(201);
            assertThat(reset.errorCode()).isEqualTo(REFUSED_STREAM);
        }
    }

    private static int settingValue(Frame settings, int id) {
        byte[] p = settings.payload();
        for (int at = 0; at + 6 <= p.length; at += 6) {
            if (((p[at] & 0xff) << 8 | (p[at + 1] & 0xff)) == id) {
                return ((p[at + 2] & 0xff) << 24)
                        | ((p[at + 3] & 0xff) << 16)
                        | ((p[at + 4] & 0xff) << 8)
                        | (p[at + 5] & 0xff);
            }
        }
        return -1;
    }

    @Test
    void aClientStuckInsideThePrefaceGetsAGoAwayAtTheHeadersTimeout() throws IOException {
        start(b -> b.requestHeadersTimeout(Duration.ofMillis(300)));
        try (Socket socket = connect()) {
            socket.getOutputStream().write(PREFACE, 0, PREFACE.length - 2);
            socket.getOutputStream().flush();

            List<Frame> frames = readFrames(socket, f -> false);

            assertThat(frames).extracting(Frame::type).containsExactly(SETTINGS, GOAWAY);
            assertThat(frames.get(1).errorCode()).isEqualTo(PROTOCOL_ERROR);
        }
    }

    @Test
    void anIdleHttp2ConnectionGetsAGoAwayAndIsClosedAfterTheIdleTimeout() throws IOException {
        start(b -> b.idleTimeout(Duration.ofMillis(300)));
        try (Socket socket = connect()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(PREFACE, 0, PREFACE.length);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();

            List<Frame> frames = readFrames(socket, f -> false);

            assertThat(frames).extracting(Frame::type).contains(GOAWAY);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static int lastStreamId(Frame goAway) {
        byte[] p = goAway.payload();
        return (((p[0] & 0xff) << 24) | ((p[1] & 0xff) << 16) | ((p[2] & 0xff) << 8) | (p[3] & 0xff)) & 0x7fffffff;
    }

    private static boolean endsStream(Frame frame, int streamId) {
        return frame.streamId() == streamId
                && (frame.type() == 0x0 || frame.type() == 0x1)
                && (frame.flags() & 0x1) != 0;
    }

    @Test
    void aDrainSendsAGoAwayNoticeAtOnceThenTheFinalGoAwayAndCloses() throws IOException {
        start(b -> b);
        try (Socket socket = connect()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(PREFACE, 0, PREFACE.length);
            frame(out, SETTINGS, 0, 0, new byte[0]);
            frame(out, 0x1, 0x5, 1, getHeaderBlock());
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
            assertThat(readFrames(socket, f -> endsStream(f, 1))).anyMatch(f -> endsStream(f, 1));

            fixture.proxy.drainListeners(false, false);

            // Envoy's shutdown notice: NO_ERROR, last stream 2^31-1; streams opened meanwhile are served.
            List<Frame> notice = readFrames(socket, f -> f.type() == GOAWAY);
            Frame first = notice.get(notice.size() - 1);
            assertThat(first.type()).isEqualTo(GOAWAY);
            assertThat(first.errorCode()).isZero();
            assertThat(lastStreamId(first)).isEqualTo(Integer.MAX_VALUE);
            out.reset();
            frame(out, 0x1, 0x5, 3, getHeaderBlock());
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
            assertThat(readFrames(socket, f -> endsStream(f, 3))).anyMatch(f -> endsStream(f, 3));

            // After the drain timeout (5 s): the last stream received, then the close.
            List<Frame> rest = readFrames(socket, f -> false);
            assertThat(rest).extracting(Frame::type).contains(GOAWAY);
            Frame last = rest.stream()
                    .filter(f -> f.type() == GOAWAY)
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertThat(last.errorCode()).isZero();
            assertThat(lastStreamId(last)).isEqualTo(3);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }
}

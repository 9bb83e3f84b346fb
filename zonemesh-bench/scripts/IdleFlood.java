import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Idle-connection flood for idle-flood-bench.sh (issue 8), run as a single-file program:
 * {@code java IdleFlood.java HOST PORT CONNECTIONS SECONDS}. Opens CONNECTIONS TCP connections
 * that never send a byte, then for SECONDS reports once a second how many are established, how
 * many the server closed (end of stream or reset) and how many of those got an HTTP answer first
 * (a 503 overload reply), and how many connects failed. Ends early once every connection is
 * closed. The last line is {@code final opened=.. refused=.. closed=.. answered=.. open=..}.
 */
public final class IdleFlood {
    public static void main(String[] args) throws IOException, InterruptedException {
        InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int connections = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        Selector selector = Selector.open();
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < connections; i++) {
            try {
                SocketChannel socket = SocketChannel.open();
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
                socket.connect(target);
                socket.configureBlocking(false);
                socket.register(selector, SelectionKey.OP_READ, new int[1]);
                opened++;
            } catch (IOException e) {
                refused++;
            }
        }
        long start = System.nanoTime();
        int closed = 0;
        int answered = 0;
        ByteBuffer sink = ByteBuffer.allocate(4096);
        System.out.printf("t=0s opened=%d refused=%d%n", opened, refused);
        long nextReport = start + TimeUnit.SECONDS.toNanos(1);
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end && closed < opened) {
            selector.select(200);
            for (SelectionKey key : selector.selectedKeys()) {
                SocketChannel socket = (SocketChannel) key.channel();
                int[] bytesSeen = (int[]) key.attachment();
                int read;
                try {
                    sink.clear();
                    read = socket.read(sink);
                } catch (IOException reset) {
                    read = -1;
                }
                if (read > 0) {
                    bytesSeen[0] += read;
                } else if (read < 0) {
                    closed++;
                    if (bytesSeen[0] > 0) {
                        answered++;
                    }
                    key.cancel();
                    socket.close();
                }
            }
            selector.selectedKeys().clear();
            long now = System.nanoTime();
            if (now >= nextReport) {
                System.out.printf("t=%ds open=%d closed=%d answered=%d%n", TimeUnit.NANOSECONDS.toSeconds(now - start),
                        opened - closed, closed, answered);
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
        }
        System.out.printf("final opened=%d refused=%d closed=%d answered=%d open=%d seconds=%d%n", opened, refused,
                closed, answered, opened - closed, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }
}

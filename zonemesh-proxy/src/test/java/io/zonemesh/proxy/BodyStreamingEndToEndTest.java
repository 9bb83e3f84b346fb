package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.seconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.xds.ResourceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Large request and response bodies over real sockets stream through the proxy with bounded
 * memory, as Envoy streams them: nothing is aggregated past the retry buffer.
 */
@ExtendWith(NettyLeakCheck.class)
class BodyStreamingEndToEndTest {
    private static final long MEBIBYTE = 1 << 20;
    /** Direct memory the whole test JVM (proxy, upstream and their allocator chunks) may add for a download. */
    private static final long DOWNLOAD_MEMORY_BOUND = 32 * MEBIBYTE;
    /**
     * The same for eight stalled uploads: each connection holds about its 1 MiB retry buffer and
     * a read batch, where aggregating the bodies held 80 MB (87 MiB measured). The figure is the
     * whole JVM's pooled direct memory, so it moves in the allocator's chunks: 42–48.4 MiB seen
     * with other builds loading the machine, hence 56 MiB, still well below the aggregating 87.
     */
    private static final long UPLOADS_MEMORY_BOUND = 56 * MEBIBYTE;

    private EventLoopGroup group;
    private ProxyFixture fixture;
    private BulkServer bulk;

    @BeforeEach
    void setUp() {
        group = Transport.preferred().newGroup(2, new DefaultThreadFactory("BodyStreamingEndToEndTest"));
        bulk = new BulkServer(group);
        fixture = new ProxyFixture(group, b -> b).start(ProxyFixture.cluster().build());
        fixture.ads.set(ResourceType.ENDPOINT, "2", cla(ProxyFixture.CLUSTER, locality("r", "z", 0, bulk.address())));
        await().atMost(ProxyFixture.WAIT)
                .until(() -> fixture.proxy.snapshot().cluster(ProxyFixture.CLUSTER).hosts().stream()
                        .anyMatch(h -> h.key().equals(bulk.address())));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
        bulk.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT)
                .metric()
                .usedDirectMemory();
    }

    @Test
    void aHundredMegabyteDownloadStreamsThroughWithBoundedDirectMemory() throws IOException {
        long size = 100 * MEBIBYTE;
        long before = usedDirectMemory();
        long peak = before;
        long read = 0;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", fixture.port()), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(ProxyFixture.request("GET", "/download/" + size, "").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200 ").contains("content-length: " + size);
            byte[] buffer = new byte[64 * 1024];
            long nextSample = 0;
            while (read < size) {
                int n = in.read(buffer);
                assertThat(n).as("bytes after %d of %d", read, size).isPositive();
                read += n;
                if (read >= nextSample) {
                    peak = Math.max(peak, usedDirectMemory());
                    nextSample += MEBIBYTE;
                }
            }
        }
        assertThat(read).isEqualTo(size);
        assertThat(peak - before).as("direct memory growth").isLessThan(DOWNLOAD_MEMORY_BOUND);
    }

    @Test
    void eightConcurrentTenMegabyteUploadsToAStalledUpstreamHoldBoundedMemoryAndAllSucceed() throws Exception {
        int uploads = 8;
        long size = 10_000_000;
        bulk.holdBodies();
        long before = usedDirectMemory();
        List<AtomicLong> written = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(uploads, new DefaultThreadFactory("upload-client"));
        try {
            List<Future<String>> responses = new ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                AtomicLong progress = new AtomicLong();
                written.add(progress);
                responses.add(clients.submit(() -> upload(size, progress)));
            }
            // Every request reached the upstream while its body was still coming (it streams),
            // and the clients stall, throttled by the upstream that reads nothing.
            await().atMost(ProxyFixture.WAIT).until(() -> bulk.requests() == uploads);
            awaitStalled(written);
            assertThat(usedDirectMemory() - before)
                    .as("direct memory held for 8 stalled uploads")
                    .isLessThan(UPLOADS_MEMORY_BOUND);

            bulk.release();
            for (Future<String> response : responses) {
                assertThat(response.get(60, TimeUnit.SECONDS))
                        .startsWith("HTTP/1.1 200 ")
                        .endsWith("received " + size);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(bulk.requests()).isEqualTo(uploads);
    }

    /** Polls until no client wrote anything between two polls (they block on a full socket). */
    private static void awaitStalled(List<AtomicLong> written) {
        long[] last = {-1};
        await().atMost(ProxyFixture.WAIT).pollInterval(Duration.ofMillis(250)).until(() -> {
            long now = written.stream().mapToLong(AtomicLong::get).sum();
            boolean stalled = now == last[0];
            last[0] = now;
            return stalled;
        });
    }

    @Test
    void anUploadPastTheRetryBufferIsStreamedOnceAndNotRetried() throws Exception {
        fixture.ads.set(
                ResourceType.ROUTE,
                "2",
                routeConfig(
                        "http_proxy",
                        VirtualHost.newBuilder()
                                .setName("hello")
                                .addDomains(ProxyFixture.AUTHORITY)
                                .addRoutes(Route.newBuilder()
                                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                                        .setRoute(RouteAction.newBuilder()
                                                .setCluster(ProxyFixture.CLUSTER)
                                                .setTimeout(seconds(0))
                                                .setRetryPolicy(RetryPolicy.newBuilder()
                                                        .setRetryOn("5xx")
                                                        .setNumRetries(UInt32Value.of(2)))))
                                .build()));
        await().atMost(ProxyFixture.WAIT)
                .until(() -> fixture.proxy
                                .snapshot()
                                .routeTableNamed("http_proxy")
                                .virtualHosts()
                                .get(0)
                                .routes()
                                .get(0)
                                .action()
                                .retryPolicy()
                                .numRetries()
                        == 2);
        bulk.status(503);

        // Within the buffer: retried twice, as before.
        assertThat(upload(100_000, new AtomicLong())).startsWith("HTTP/1.1 503 ");
        assertThat(bulk.requests()).isEqualTo(3);

        // Past it: streamed once; its 503 is the answer.
        String response = upload(2 * MEBIBYTE, new AtomicLong());

        assertThat(response).startsWith("HTTP/1.1 503 ").endsWith("received " + 2 * MEBIBYTE);
        assertThat(bulk.requests()).isEqualTo(4);
    }

    /**
     * POSTs {@code size} bytes with a Content-Length on a new connection, counting what it wrote
     * in {@code written}; returns the response's head and body.
     */
    private String upload(long size, AtomicLong written) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", fixture.port()), 10_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(ProxyFixture.request("POST", "/upload", "Content-Length: " + size + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] piece = new byte[64 * 1024];
            while (written.get() < size) {
                int n = (int) Math.min(piece.length, size - written.get());
                out.write(piece, 0, n);
                written.addAndGet(n);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = Integer.parseInt(
                    head.substring(head.indexOf("content-length: ") + 16).split("\r\n")[0]);
            return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
    }

    /** The status line and headers, lower-cased, without the blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int i = 0; i < 64 * 1024 && matched < 4; i++) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1)
                .toLowerCase(Locale.ROOT)
                .replace("http/1.1", "HTTP/1.1");
    }
}

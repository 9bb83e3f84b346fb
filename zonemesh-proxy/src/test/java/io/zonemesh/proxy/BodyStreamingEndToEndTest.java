package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
    /** Direct memory the whole test JVM (proxy, upstream and their allocator chunks) may add. */
    private static final long DIRECT_MEMORY_BOUND = 32 * MEBIBYTE;

    private EventLoopGroup group;
    private ProxyFixture fixture;
    private BulkServer bulk;

    @BeforeEach
    void setUp() {
        group = Transport.preferred().newGroup(2, new DefaultThreadFactory("BodyStreamingEndToEndTest"));
        bulk = new BulkServer(group);
        fixture = new ProxyFixture(group, b -> b).start(ProxyFixture.cluster().build());
        fixture.ads.set(ResourceType.ENDPOINT, "2", cla(ProxyFixture.CLUSTER,
                locality("r", "z", 0, bulk.address())));
        await().atMost(ProxyFixture.WAIT).until(() -> fixture.proxy.snapshot().cluster(ProxyFixture.CLUSTER).hosts()
                .stream().anyMatch(h -> h.key().equals(bulk.address())));
    }

    @AfterEach
    void tearDown() {
        fixture.close();
        bulk.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
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
        assertThat(peak - before).as("direct memory growth").isLessThan(DIRECT_MEMORY_BOUND);
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
        return head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).replace("http/1.1", "HTTP/1.1");
    }
}

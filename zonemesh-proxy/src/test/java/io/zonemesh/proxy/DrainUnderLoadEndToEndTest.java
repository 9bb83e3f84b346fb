package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.ProxyFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /drain_listeners?graceful} while keep-alive clients keep sending, over real sockets: not
 * one request may fail. Each client opens a new connection only after the proxy answered
 * {@code Connection: close}, as a well-behaved HTTP/1.1 client does.
 */
@ExtendWith(NettyLeakCheck.class)
class DrainUnderLoadEndToEndTest {
    private static final int CLIENTS = 16;
    /** Requests per client after the drain started: every connection sees its drain response. */
    private static final int AFTER_DRAIN = 50;

    private static final int MAX_REQUESTS_PER_CLIENT = 20_000;

    private EventLoopGroup group;
    private ProxyFixture fixture;
    private ExecutorService clients;

    @BeforeEach
    void setUp() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("DrainUnderLoadEndToEndTest"));
        fixture = new ProxyFixture(group, b -> b.drainTime(Duration.ofSeconds(30)))
                .start(ProxyFixture.cluster().build());
        clients = Executors.newFixedThreadPool(CLIENTS, new DefaultThreadFactory("drain-client"));
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.shutdownNow();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        fixture.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aGracefulDrainUnderLoadFailsNoRequest() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean draining = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> run(answered, draining, failures)));
        }
        await().atMost(ProxyFixture.WAIT).until(() -> answered.get() >= CLIENTS * 20);

        fixture.proxy.drainListeners(true, false);
        draining.set(true);

        for (Future<?> client : running) {
            client.get(60, TimeUnit.SECONDS);
        }
        assertThat(failures).isEmpty();
    }

    /** One keep-alive client: GETs until it has sent {@link #AFTER_DRAIN} requests after the drain. */
    private void run(AtomicInteger answered, AtomicBoolean draining, ConcurrentLinkedQueue<String> failures) {
        RawHttpClient connection = RawHttpClient.connect(fixture.port());
        int afterDrain = 0;
        try {
            for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && afterDrain < AFTER_DRAIN; i++) {
                if (draining.get()) {
                    afterDrain++;
                }
                Response response;
                try {
                    response = connection.send(request("GET", "/r" + i, ""));
                } catch (RuntimeException e) {
                    failures.add("request " + i + ": " + e);
                    connection.close();
                    connection = RawHttpClient.connect(fixture.port());
                    continue;
                }
                if (response.status() != 200) {
                    failures.add("request " + i + ": status " + response.status());
                }
                answered.incrementAndGet();
                if ("close".equalsIgnoreCase(response.header("connection"))) {
                    connection.close();
                    connection = RawHttpClient.connect(fixture.port());
                }
            }
        } finally {
            connection.close();
        }
    }
}

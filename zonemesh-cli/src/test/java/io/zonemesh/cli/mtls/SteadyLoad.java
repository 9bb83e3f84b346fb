package io.zonemesh.cli.mtls;

import io.zonemesh.cli.send.SendResult;
import io.zonemesh.cli.send.Sender;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests one after another through a sidecar's outbound port on a background thread until
 * stopped (or a bound on their number is reached), counting answers and failures.
 */
public final class SteadyLoad implements AutoCloseable {
    private static final int MAX_REQUESTS = 200_000;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-steady-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final Map<String, Integer> causes = new ConcurrentHashMap<>();

    private SteadyLoad(int outboundPort, URI url) {
        Sender sender = new Sender(new InetSocketAddress("127.0.0.1", outboundPort), Duration.ofSeconds(10));
        thread.execute(() -> {
            while (running.get() && sent.get() < MAX_REQUESTS) {
                SendResult r = sender.send(url, 10, "GET", List.of(), null);
                sent.addAndGet(r.total());
                errors.addAndGet(r.errors());
                r.errorCauses().forEach((k, v) -> causes.merge(k, v, Integer::sum));
            }
        });
    }

    public static SteadyLoad start(int outboundPort, URI url) {
        return new SteadyLoad(outboundPort, url);
    }

    public int sent() {
        return sent.get();
    }

    public int errors() {
        return errors.get();
    }

    public Map<String, Integer> causes() {
        return Map.copyOf(causes);
    }

    /** Stops after the batch in flight and waits for it. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.shutdown();
        thread.awaitTermination(30, TimeUnit.SECONDS);
    }
}

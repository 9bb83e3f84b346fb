package io.zonemesh.controlplane;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The control plane's HTTP status port (Istio's 15014): {@code /ready}, {@code /debug/syncz}
 * (per-proxy sent/ACKed versions and NACK errors, like istiod's), {@code /debug/mesh}.
 * Blocking I/O is fine here: it runs on its own small thread pool, never on the push thread.
 */
final class DebugServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpServer server;
    private final ExecutorService executor;
    /** Every path served, for the 404 page's list; pages added after the start included. */
    private final Set<String> paths = new ConcurrentSkipListSet<>();

    DebugServer(InetSocketAddress bind, Supplier<Object> syncz, Supplier<Object> mesh) throws IOException {
        this(bind, syncz, mesh, () -> true, Map.of(), () -> "");
    }

    /**
     * @param ready whether {@code /ready} answers 200 (else 503, as istiod before its caches synced)
     * @param pages further JSON pages by path (the Kubernetes source's {@code /debug/configz})
     * @param metrics the Prometheus text {@code /metrics} serves
     */
    DebugServer(
            InetSocketAddress bind,
            Supplier<Object> syncz,
            Supplier<Object> mesh,
            BooleanSupplier ready,
            Map<String, Supplier<Object>> pages,
            Supplier<String> metrics)
            throws IOException {
        server = HttpServer.create(bind, 16);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "zonemesh-debug");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        addHandler("/ready", ex -> {
            boolean isReady = ready.getAsBoolean();
            respond(ex, isReady ? 200 : 503, "text/plain", isReady ? "ready\n" : "not ready: caches not synced\n");
        });
        addHandler("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4", metrics.get()));
        pages.forEach((path, page) -> addJsonPage(path, page));
        addJsonPage("/debug/syncz", syncz);
        addJsonPage("/debug/mesh", mesh);
        server.createContext(
                "/", ex -> respond(ex, 404, "text/plain", "not found; try " + String.join(", ", paths) + "\n"));
        server.start();
    }

    /** Serves {@code path} with {@code handler} too (the server is already running). */
    void addHandler(String path, HttpHandler handler) {
        server.createContext(path, handler);
        paths.add(path);
    }

    private void addJsonPage(String path, Supplier<Object> page) {
        addHandler(path, ex -> respond(ex, 200, "application/json", JSON.writeValueAsString(page.get())));
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

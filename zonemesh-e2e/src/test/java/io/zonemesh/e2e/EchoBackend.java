package io.zonemesh.e2e;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.zonemesh.common.Nullable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One gRPC echo server on 127.0.0.1 (port 0, so the bound port is reported back) standing for an
 * endpoint of the mesh: its name, {@code region/zone} locality and labels are what the test registers
 * for it in a ServiceEntry.
 */
final class EchoBackend implements AutoCloseable {
    private final String name;
    private final String region;
    private final String zone;
    private final Map<String, String> labels;
    private final Server server;

    private EchoBackend(String name, String region, String zone, Map<String, String> labels, @Nullable Status failure)
            throws IOException {
        this.name = Objects.requireNonNull(name, "name");
        this.region = Objects.requireNonNull(region, "region");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.labels = Map.copyOf(labels);
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(EchoService.definition(name, zone, failure))
                .build()
                .start();
    }

    /** Starts a backend; it is listening when this returns. */
    static EchoBackend start(String name, String region, String zone, Map<String, String> labels) throws IOException {
        return new EchoBackend(name, region, zone, labels, null);
    }

    /** Starts a backend that accepts connections but ends every call with {@code failure}. */
    static EchoBackend startFailing(String name, String region, String zone, Map<String, String> labels, Status failure)
            throws IOException {
        return new EchoBackend(name, region, zone, labels, failure);
    }

    String name() {
        return name;
    }

    String zone() {
        return zone;
    }

    /** Istio's locality form, {@code region/zone}. */
    String locality() {
        return region + "/" + zone;
    }

    Map<String, String> labels() {
        return labels;
    }

    int port() {
        return server.getPort();
    }

    /**
     * Stops the server as a crashed zone would: open connections are closed at once (the client sees
     * GOAWAY, then refused connections), not drained.
     */
    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("echo backend " + name + " did not stop within 5 s");
        }
    }
}

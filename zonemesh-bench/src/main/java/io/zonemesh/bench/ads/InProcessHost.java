package io.zonemesh.bench.ads;

import io.zonemesh.bench.mesh.MeshShape;
import io.zonemesh.bench.mesh.SyntheticMesh;
import io.zonemesh.common.Clock;
import io.zonemesh.controlplane.ControlPlane;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.registry.MeshRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * The control plane in the harness's own JVM: quick to start, for smoke tests and small runs.
 * Its memory and CPU cannot be told apart from the clients', so {@link #stats()} is unknown.
 */
final class InProcessHost implements ControlPlaneHost {
    private final Clock clock;
    private final MeshRegistry registry;
    private final ControlPlane controlPlane;

    InProcessHost(MeshShape shape, Duration debounce, Clock clock) throws IOException {
        this.clock = clock;
        this.registry = MeshRegistry.synthetic(MeshSettings.DEFAULT, SyntheticMesh.bundle(shape));
        this.controlPlane = ControlPlane.builder(registry)
                .xdsAddress(new InetSocketAddress("127.0.0.1", 0))
                .debugAddress(new InetSocketAddress("127.0.0.1", 0))
                .debounceAfter(debounce)
                .start();
    }

    @Override
    public int xdsPort() {
        return controlPlane.xdsPort();
    }

    @Override
    public long scale(String deployment, int replicas) {
        long start = clock.nanoTime();
        registry.apply(SyntheticMesh.scaled(registry.bundle(), deployment, replicas));
        return clock.nanoTime() - start;
    }

    @Override
    public ServerStats stats() {
        return ServerStats.UNKNOWN;
    }

    @Override
    public void writeHistogram(java.nio.file.Path file) {
        throw new UnsupportedOperationException("the histogram of an in-process control plane includes the clients");
    }

    @Override
    public void close() {
        controlPlane.close();
    }
}

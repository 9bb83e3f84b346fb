package io.zonemesh.bench.ads;

/** A control plane serving the benchmark mesh, in this JVM or in a child one. */
interface ControlPlaneHost extends AutoCloseable {

    /** The ADS port on 127.0.0.1. */
    int xdsPort();

    /**
     * Scales one Deployment of the mesh (one endpoint more or less) through the registry, as a
     * Kubernetes informer would report it.
     *
     * @return nanoseconds the registry took to apply it (planning and the new MeshState)
     */
    long scale(String deployment, int replicas) throws Exception;

    /** Heap after a full GC and process CPU so far, or {@link ServerStats#UNKNOWN} when not isolated. */
    ServerStats stats() throws Exception;

    /**
     * Writes the control plane's live-object class histogram to {@code file}.
     *
     * @throws UnsupportedOperationException when the control plane shares this JVM
     */
    void writeHistogram(java.nio.file.Path file) throws Exception;

    /** Resource use of the control plane's process. */
    record ServerStats(long heapAfterGcBytes, long cpuNanos) {
        static final ServerStats UNKNOWN = new ServerStats(-1, -1);
    }
}

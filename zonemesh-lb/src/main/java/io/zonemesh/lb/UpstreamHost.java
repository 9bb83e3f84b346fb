package io.zonemesh.lb;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Host} of one cluster's load balancer. One instance per {@link HostSpec#identity()}
 * for as long as it stays in the cluster, so its counters survive updates; the spec is replaced
 * when EDS changes it. The outlier state is shared by every host with the same
 * {@code address:port} (one gateway listed in several localities is one outlier).
 */
final class UpstreamHost implements Host {
    private final Object owner;
    private final HostOutlierState outlier;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private volatile HostSpec spec;

    UpstreamHost(Object owner, HostSpec spec, HostOutlierState outlier) {
        this.owner = owner;
        this.outlier = outlier;
        this.spec = spec;
    }

    @Override
    public HostSpec spec() {
        return spec;
    }

    void spec(HostSpec spec) {
        this.spec = spec;
    }

    @Override
    public boolean ejected() {
        return outlier.ejected();
    }

    @Override
    public int activeRequests() {
        return activeRequests.get();
    }

    @Override
    public void onRequestStart() {
        activeRequests.incrementAndGet();
    }

    @Override
    public void onRequestEnd() {
        // A stray extra end must not drive the count negative and skew LEAST_REQUEST forever.
        activeRequests.updateAndGet(n -> n > 0 ? n - 1 : 0);
    }

    HostOutlierState outlier() {
        return outlier;
    }

    boolean ownedBy(Object candidate) {
        return owner == candidate;
    }

    @Override
    public String toString() {
        return "Host{" + spec.key() + ", " + spec.locality() + ", P" + spec.priority() + "}";
    }
}

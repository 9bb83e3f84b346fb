package io.zonemesh.lb;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Host} of one cluster's load balancer. One instance per {@code address:port} for as
 * long as the key stays in the cluster, so its outlier state and counters survive updates; the
 * spec is replaced when EDS changes it.
 */
final class UpstreamHost implements Host {
    private final Object owner;
    private final HostOutlierState outlier = new HostOutlierState();
    private final AtomicInteger activeRequests = new AtomicInteger();
    private volatile HostSpec spec;

    UpstreamHost(Object owner, HostSpec spec) {
        this.owner = owner;
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

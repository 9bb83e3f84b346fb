package io.zonemesh.lb;

/**
 * A live upstream host of one cluster: its spec plus the state the proxy keeps about it
 * (active requests, outlier ejection). Thread-safe: event loops report into it concurrently.
 * The same instance stands for an {@code address:port} for as long as it stays in the cluster,
 * so it may be kept across updates (e.g. in a retry's excluded set); equality is identity.
 */
public interface Host {

    /** The spec from the latest update that contained this host. */
    HostSpec spec();

    /** Whether outlier detection currently ejects it. */
    boolean ejected();

    /** Requests in flight to it (for LEAST_REQUEST). */
    int activeRequests();

    /** Call when a request is sent to it; pair with {@link #onRequestEnd()}. */
    void onRequestStart();

    void onRequestEnd();
}

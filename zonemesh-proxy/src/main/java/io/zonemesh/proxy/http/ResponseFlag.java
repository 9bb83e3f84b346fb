package io.zonemesh.proxy.http;

/** Envoy's access-log response flags for the outcomes this proxy produces. */
public enum ResponseFlag {
    /** No route matched the authority and path (404). */
    NO_ROUTE("NR"),
    /** The route's cluster is not known (503). */
    NO_CLUSTER("NC"),
    /** The cluster had no host to pick (503). */
    NO_HEALTHY_UPSTREAM("UH"),
    /** The upstream connection could not be established (503). */
    UPSTREAM_CONNECT_FAILURE("UF"),
    /** The upstream connection closed before the response completed (503). */
    UPSTREAM_CONNECTION_TERMINATION("UC"),
    /** The upstream reset the connection (503). */
    UPSTREAM_REMOTE_RESET("UR"),
    /** The stream idle timeout expired: nothing moved for {@code stream_idle_timeout} (504, or a reset). */
    STREAM_IDLE_TIMEOUT("SI"),
    /** The route timeout expired (504). */
    UPSTREAM_REQUEST_TIMEOUT("UT"),
    /** The upstream sent something that is not valid HTTP/1.1, or too much of it (502). */
    UPSTREAM_PROTOCOL_ERROR("UPE"),
    /** Retriable, but the route's {@code num_retries} were used up. */
    UPSTREAM_RETRY_LIMIT_EXCEEDED("URX"),
    /** A circuit breaker of the cluster was full (503 for requests; no retry for retries). */
    UPSTREAM_OVERFLOW("UO"),
    /** The fault filter aborted the request. */
    FAULT_INJECTED("FI"),
    /** The fault filter delayed the request. */
    DELAY_INJECTED("DI"),
    /** The client closed its connection before the response was sent. */
    DOWNSTREAM_CONNECTION_TERMINATION("DC"),
    /** The request was not valid HTTP/1.1 (400, 413, 414, 431). */
    DOWNSTREAM_PROTOCOL_ERROR("DPE");

    private final String code;

    ResponseFlag(String code) {
        this.code = code;
    }

    /** The short code printed in access logs, e.g. {@code UF}. */
    public String code() {
        return code;
    }
}

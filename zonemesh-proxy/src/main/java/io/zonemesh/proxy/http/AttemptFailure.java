package io.zonemesh.proxy.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.zonemesh.lb.ClusterLoadBalancer.LocalOriginFailure;

/**
 * How one upstream attempt can fail without a usable response: what the load balancer's outlier
 * detection hears, and the local reply Envoy sends when no retry follows.
 */
enum AttemptFailure {
    CONNECT_FAILURE(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            ResponseFlag.UPSTREAM_CONNECT_FAILURE,
            LocalOriginFailure.CONNECT_FAILED,
            LocalReplies.CONNECT_FAILURE,
            false),
    CONNECTION_TERMINATION(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            ResponseFlag.UPSTREAM_CONNECTION_TERMINATION,
            LocalOriginFailure.RESET,
            LocalReplies.CONNECTION_TERMINATION,
            true),
    REMOTE_RESET(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            ResponseFlag.UPSTREAM_REMOTE_RESET,
            LocalOriginFailure.RESET,
            LocalReplies.CONNECTION_TERMINATION,
            true),
    PROTOCOL_ERROR(
            HttpResponseStatus.BAD_GATEWAY,
            ResponseFlag.UPSTREAM_PROTOCOL_ERROR,
            LocalOriginFailure.RESET,
            LocalReplies.PROTOCOL_ERROR,
            true),
    PER_TRY_TIMEOUT(
            HttpResponseStatus.GATEWAY_TIMEOUT,
            ResponseFlag.UPSTREAM_REQUEST_TIMEOUT,
            LocalOriginFailure.TIMEOUT,
            LocalReplies.TIMEOUT,
            true);

    @SuppressWarnings("ImmutableEnumChecker") // Netty's HttpResponseStatus is immutable, just not annotated
    final HttpResponseStatus status;

    final ResponseFlag flag;
    final LocalOriginFailure outlierKind;
    final String body;
    /** Whether the request had reached the upstream (Envoy's {@code upstream_request_started}). */
    final boolean requestSent;

    AttemptFailure(
            HttpResponseStatus status,
            ResponseFlag flag,
            LocalOriginFailure outlierKind,
            String body,
            boolean requestSent) {
        this.status = status;
        this.flag = flag;
        this.outlierKind = outlierKind;
        this.body = body;
        this.requestSent = requestSent;
    }
}

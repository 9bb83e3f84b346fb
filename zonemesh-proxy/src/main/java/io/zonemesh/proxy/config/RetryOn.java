package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;

/**
 * The conditions of Envoy's {@code retry_on} (router filter, {@code x-envoy-retry-on} and
 * {@code x-envoy-retry-grpc-on} values). gRPC conditions look at the {@code grpc-status} response
 * header, as Envoy does for trailers-only responses.
 */
public enum RetryOn {
    /** Any 5xx response, and any reset, connect failure or per-try timeout. */
    FIVE_XX("5xx"),
    /** 502, 503 or 504, and any reset, connect failure or per-try timeout. */
    GATEWAY_ERROR("gateway-error"),
    /** Any reset or per-try timeout (no response). */
    RESET("reset"),
    /** A reset before any request byte was sent upstream. */
    RESET_BEFORE_REQUEST("reset-before-request"),
    /** The upstream connection could not be established. */
    CONNECT_FAILURE("connect-failure"),
    /** 409 Conflict. */
    RETRIABLE_4XX("retriable-4xx"),
    /** An HTTP/2 stream refused with REFUSED_STREAM; never seen over HTTP/1.1 upstreams. */
    REFUSED_STREAM("refused-stream"),
    /** A status listed in {@code retriable_status_codes}. */
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    /** A response carrying {@code x-envoy-ratelimited}. */
    ENVOY_RATELIMITED("envoy-ratelimited"),
    /** An HTTP/3 connect failure after a successful connect; never applies here. */
    HTTP3_POST_CONNECT_FAILURE("http3-post-connect-failure"),
    GRPC_CANCELLED("cancelled", 1),
    GRPC_DEADLINE_EXCEEDED("deadline-exceeded", 4),
    GRPC_RESOURCE_EXHAUSTED("resource-exhausted", 8),
    GRPC_INTERNAL("internal", 13),
    GRPC_UNAVAILABLE("unavailable", 14);

    private final String envoyName;
    private final int grpcStatus;

    RetryOn(String envoyName) {
        this(envoyName, -1);
    }

    RetryOn(String envoyName, int grpcStatus) {
        this.envoyName = envoyName;
        this.grpcStatus = grpcStatus;
    }

    /** The name in {@code retry_on}. */
    public String envoyName() {
        return envoyName;
    }

    /** The gRPC status code this condition retries, -1 for HTTP conditions. */
    public int grpcStatus() {
        return grpcStatus;
    }

    /** The condition named {@code name} in {@code retry_on}, or null when Envoy has none by that name. */
    public static @Nullable RetryOn byName(String name) {
        for (RetryOn value : values()) {
            if (value.envoyName.equals(name)) {
                return value;
            }
        }
        return null;
    }
}

package io.zonemesh.proxy.config;

import io.zonemesh.common.Nullable;
import java.util.Objects;

/** A route answered by the proxy itself: Envoy's {@code redirect} or {@code direct_response}. */
public sealed interface LocalResponse {

    /**
     * {@code redirect}: a status with a {@code location} built from the request with the set
     * parts replaced.
     *
     * @param port {@code port_redirect}, 0 to keep the request's (or drop a default one)
     * @param path {@code path_redirect}; null keeps the path (after {@code prefixRewrite})
     * @param prefixRewrite {@code prefix_rewrite}: replaces the matched prefix
     */
    record Redirect(
            @Nullable String scheme,
            @Nullable String host,
            int port,
            @Nullable String path,
            @Nullable String prefixRewrite,
            boolean stripQuery,
            int status)
            implements LocalResponse {
        public Redirect {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
            }
            if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
                throw new IllegalArgumentException("status: " + status + " (expected: 301, 302, 303, 307 or 308)");
            }
        }
    }

    /** {@code direct_response}: a status and an inline body. */
    record Direct(int status, String body) implements LocalResponse {
        public Direct {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status: " + status + " (expected: 200..599)");
            }
            Objects.requireNonNull(body, "body");
        }
    }
}

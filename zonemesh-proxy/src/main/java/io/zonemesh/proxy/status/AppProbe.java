package io.zonemesh.proxy.status;

import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One application probe the sidecar runs for the kubelet (an entry of Istio's
 * {@code ISTIO_KUBE_APP_PROBERS}): an HTTP GET of {@code path} on {@code port}, or, with a null
 * path, a TCP connect to {@code port}; either within {@code timeout}.
 *
 * @param path the HTTP path, or null for a TCP probe
 * @param host the probe's {@code httpGet.host} (an IP address; a name answers 500), or null for the pod's own
 * @param headers the probe's {@code httpGet.httpHeaders}
 */
public record AppProbe(
        int port, @Nullable String path, @Nullable String host, Map<String, String> headers, Duration timeout) {
    /** Kubernetes' default probe timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    public AppProbe {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        headers = Map.copyOf(headers);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
    }

    /** An HTTP GET probe. */
    public static AppProbe http(
            int port, String path, @Nullable String host, Map<String, String> headers, Duration timeout) {
        return new AppProbe(port, path.startsWith("/") ? path : "/" + path, host, headers, timeout);
    }

    /** A TCP connect probe. */
    public static AppProbe tcp(int port, @Nullable String host, Duration timeout) {
        return new AppProbe(port, null, host, Map.of(), timeout);
    }
}

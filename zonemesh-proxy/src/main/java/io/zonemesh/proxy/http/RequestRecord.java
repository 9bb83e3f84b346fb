package io.zonemesh.proxy.http;

import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.Direction;
import java.util.List;
import java.util.Objects;

/**
 * The facts about one finished request, for the access log and metrics.
 *
 * @param status the status sent downstream, 0 when none was (the client went away)
 * @param flags Envoy's response flags in the order they were set, empty for a response relayed
 *     from upstream on the first attempt
 * @param cluster the cluster the route chose, null when routing did not get that far
 * @param upstreamHost {@code address:port} of the host picked, null when none was
 * @param upstreamLocality {@code region/zone/subzone} of that host, "" when unknown
 * @param upstreamNanos time from sending upstream to the response, -1 without an upstream
 * @param attempts upstream attempts made (Envoy's {@code UPSTREAM_REQUEST_ATTEMPT_COUNT}), 0 when
 *     none was
 * @param downstreamPeerUriSan Envoy's {@code %DOWNSTREAM_PEER_URI_SAN%}: the client certificate's
 *     URI SANs, comma-separated; null without TLS or without a client certificate
 * @param downstreamLocalUriSan {@code %DOWNSTREAM_LOCAL_URI_SAN%}: the proxy's own certificate's
 *     URI SANs on a TLS connection, else null
 * @param upstreamWorkload the chosen host's endpoint metadata {@code filter_metadata.istio.workload}
 *     (istiod's {@code <wl>;<ns>;<canonical svc>;<rev>;<cluster>}, or zonemesh-xds's pod name), ""
 *     when none was chosen or it carries none
 */
public record RequestRecord(
        Direction direction,
        String listener,
        long startMillis,
        String method,
        String authority,
        String path,
        String protocol,
        int status,
        List<ResponseFlag> flags,
        @Nullable String cluster,
        @Nullable String upstreamHost,
        String upstreamLocality,
        long durationNanos,
        long upstreamNanos,
        long bytesReceived,
        long bytesSent,
        int attempts,
        @Nullable String downstreamPeerUriSan,
        @Nullable String downstreamLocalUriSan,
        String upstreamWorkload) {

    public RequestRecord {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(upstreamLocality, "upstreamLocality");
        Objects.requireNonNull(upstreamWorkload, "upstreamWorkload");
        flags = List.copyOf(flags);
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts: " + attempts + " (expected: >= 0)");
        }
    }

    /** The first response flag, null when there is none. */
    public @Nullable ResponseFlag flag() {
        return flags.isEmpty() ? null : flags.get(0);
    }

    /** The zone part of the upstream host's locality, "" when unknown. */
    public String upstreamZone() {
        int first = upstreamLocality.indexOf('/');
        if (first < 0) {
            return "";
        }
        int second = upstreamLocality.indexOf('/', first + 1);
        return second < 0 ? upstreamLocality.substring(first + 1) : upstreamLocality.substring(first + 1, second);
    }
}

package io.zonemesh.proxy.accesslog;

import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.http.RequestRecord;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What an access-log line may print about one finished request: the {@link RequestRecord} that
 * metrics also see, plus the request and response headers and the connection facts only the
 * access log needs. Built on the request's event loop and formatted there, before the line is
 * handed to the writer thread; the header maps are read, never changed.
 *
 * @param requestHeaders the downstream request's headers as the router left them (Envoy's
 *     {@code %REQ()%} reads the same, already-mutated map)
 * @param responseHeaders the headers sent downstream, null when no response was sent
 * @param scheme {@code http} or {@code https}, for {@code %REQ(:SCHEME)%}
 * @param routeName the matched route's {@code name}, "" when none matched
 * @param responseCodeDetails Envoy's {@code %RESPONSE_CODE_DETAILS%}, e.g. {@code via_upstream}
 * @param requestedServerName the SNI the client sent, null without TLS or without SNI
 * @param upstreamTransportFailureReason null unless the last upstream connect failed in TLS
 */
public record AccessLogEntry(
        RequestRecord record,
        HttpHeaders requestHeaders,
        @Nullable HttpHeaders responseHeaders,
        String scheme,
        String routeName,
        String responseCodeDetails,
        @Nullable InetSocketAddress downstreamLocalAddress,
        @Nullable InetSocketAddress downstreamRemoteAddress,
        @Nullable InetSocketAddress upstreamLocalAddress,
        @Nullable String requestedServerName,
        @Nullable String upstreamTransportFailureReason) {

    public AccessLogEntry {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(requestHeaders, "requestHeaders");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(routeName, "routeName");
        Objects.requireNonNull(responseCodeDetails, "responseCodeDetails");
    }
}

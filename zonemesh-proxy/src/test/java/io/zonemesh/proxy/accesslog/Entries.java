package io.zonemesh.proxy.accesslog;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import java.net.InetSocketAddress;
import java.util.List;

/** Access-log entries for format tests. */
final class Entries {
    private Entries() {}

    static RequestRecord record(int status, List<ResponseFlag> flags, String upstreamHost) {
        return new RequestRecord(
                Direction.OUTBOUND,
                "virtualOutbound",
                1_700_000_000_123L,
                "GET",
                "helloworld.sample:5000",
                "/hello?x=1",
                "HTTP/1.1",
                status,
                flags,
                upstreamHost == null ? null : "outbound|5000||helloworld.sample.svc.cluster.local",
                upstreamHost,
                upstreamHost == null ? "" : "us-east1/us-east1-b/",
                12_400_000,
                9_000_000,
                7,
                42,
                1,
                null,
                null,
                "");
    }

    /** A GET relayed from 10.0.0.1:5000 with 200 and {@code x-envoy-upstream-service-time: 9}. */
    static AccessLogEntry relayed() {
        HttpHeaders request = new DefaultHttpHeaders()
                .add("user-agent", "curl/8.5.0")
                .add("x-request-id", "c0ffee")
                .add("x-forwarded-for", "10.1.1.1");
        HttpHeaders response = new DefaultHttpHeaders().add("x-envoy-upstream-service-time", "9");
        return new AccessLogEntry(
                record(200, List.of(), "10.0.0.1:5000"),
                request,
                response,
                "http",
                "default",
                ResponseCodeDetails.VIA_UPSTREAM,
                new InetSocketAddress("127.0.0.1", 15001),
                new InetSocketAddress("127.0.0.6", 40000),
                new InetSocketAddress("127.0.0.1", 50000),
                null,
                null);
    }

    /** A 503 UF answered locally: no upstream host, no response from upstream. */
    static AccessLogEntry connectFailure() {
        return new AccessLogEntry(
                record(503, List.of(ResponseFlag.UPSTREAM_CONNECT_FAILURE), null),
                new DefaultHttpHeaders(),
                new DefaultHttpHeaders().add("content-length", "91"),
                "http",
                "",
                ResponseCodeDetails.of(false, false, List.of(ResponseFlag.UPSTREAM_CONNECT_FAILURE), null),
                new InetSocketAddress("127.0.0.1", 15001),
                new InetSocketAddress("127.0.0.6", 40000),
                null,
                null,
                null);
    }
}

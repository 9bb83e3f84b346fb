package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.proxy.config.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void formatsAnEnvoyLikeLineWithRoutingDetails() {
        RequestRecord record = new RequestRecord(
                Direction.OUTBOUND,
                "virtualOutbound",
                1_700_000_000_123L,
                "GET",
                "helloworld.sample:5000",
                "/hello?x=1",
                "HTTP/1.1",
                200,
                List.of(),
                "outbound|5000||helloworld.sample.svc.cluster.local",
                "10.0.0.1:5000",
                "us-east1/us-east1-b/",
                12_400_000,
                9_000_000,
                0,
                42,
                1,
                null,
                null,
                "");

        assertThat(AccessLog.format(record))
                .isEqualTo("[2023-11-14T22:13:20.123Z] \"GET /hello?x=1 HTTP/1.1\" 200 - "
                        + "0 42 12 9 \"helloworld.sample:5000\" \"10.0.0.1:5000\" "
                        + "outbound|5000||helloworld.sample.svc.cluster.local outbound 1 - -");
    }

    @Test
    void localRepliesShowTheFlagAndDashesForWhatDidNotHappen() {
        RequestRecord record = new RequestRecord(
                Direction.INBOUND,
                "virtualInbound",
                0,
                "POST",
                "x",
                "/",
                "HTTP/1.0",
                404,
                List.of(ResponseFlag.NO_ROUTE),
                null,
                null,
                "",
                1_000_000,
                -1,
                5,
                0,
                0,
                null,
                null,
                "");

        assertThat(AccessLog.format(record))
                .isEqualTo("[1970-01-01T00:00:00Z] \"POST / HTTP/1.0\" 404 NR 5 0 1 - \"x\" \"-\" - inbound 0 - -");
        assertThat(record.upstreamZone()).isEmpty();
    }

    @Test
    void joinsSeveralFlagsWithCommasAndCountsRetries() {
        RequestRecord record = new RequestRecord(
                Direction.OUTBOUND,
                "virtualOutbound",
                0,
                "GET",
                "x",
                "/",
                "HTTP/1.1",
                503,
                List.of(ResponseFlag.UPSTREAM_CONNECT_FAILURE, ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED),
                "c",
                "10.0.0.1:80",
                "",
                1_000_000,
                -1,
                0,
                0,
                3,
                null,
                null,
                "");

        assertThat(AccessLog.format(record))
                .isEqualTo(
                        "[1970-01-01T00:00:00Z] \"GET / HTTP/1.1\" 503 UF,URX 0 0 1 - \"x\" \"10.0.0.1:80\" c outbound 3 - -");
        assertThat(record.flag()).isEqualTo(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
    }

    @Test
    void anMtlsInboundRequestShowsThePeerAndLocalUriSans() {
        RequestRecord record = new RequestRecord(
                Direction.INBOUND,
                "virtualInbound",
                0,
                "GET",
                "x",
                "/",
                "HTTP/1.1",
                200,
                List.of(),
                "inbound|8080||",
                "127.0.0.1:8080",
                "",
                1_000_000,
                1_000_000,
                0,
                0,
                1,
                "spiffe://cluster.local/ns/sample/sa/sleep",
                "spiffe://cluster.local/ns/sample/sa/httpbin",
                "");

        assertThat(AccessLog.format(record))
                .endsWith(" inbound|8080|| inbound 1 spiffe://cluster.local/ns/sample/sa/sleep "
                        + "spiffe://cluster.local/ns/sample/sa/httpbin");
    }
}

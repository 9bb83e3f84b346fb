package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.proxy.config.Direction;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void formatsAnEnvoyLikeLineWithRoutingDetails() {
        RequestRecord record = new RequestRecord(Direction.OUTBOUND, "virtualOutbound", 1_700_000_000_123L, "GET",
                "helloworld.sample:5000", "/hello?x=1", "HTTP/1.1", 200, null,
                "outbound|5000||helloworld.sample.svc.cluster.local", "10.0.0.1:5000", "us-east1/us-east1-b/",
                12_400_000, 9_000_000, 0, 42);

        assertThat(AccessLog.format(record)).isEqualTo("[2023-11-14T22:13:20.123Z] \"GET /hello?x=1 HTTP/1.1\" 200 - "
                + "0 42 12 9 \"helloworld.sample:5000\" \"10.0.0.1:5000\" "
                + "outbound|5000||helloworld.sample.svc.cluster.local outbound");
    }

    @Test
    void localRepliesShowTheFlagAndDashesForWhatDidNotHappen() {
        RequestRecord record = new RequestRecord(Direction.INBOUND, "virtualInbound", 0, "POST", "x", "/", "HTTP/1.0",
                404, ResponseFlag.NO_ROUTE, null, null, "", 1_000_000, -1, 5, 0);

        assertThat(AccessLog.format(record)).isEqualTo(
                "[1970-01-01T00:00:00Z] \"POST / HTTP/1.0\" 404 NR 5 0 1 - \"x\" \"-\" - inbound");
        assertThat(record.upstreamZone()).isEmpty();
    }
}

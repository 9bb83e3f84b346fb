package io.zonemesh.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.http.RequestRecord;
import io.zonemesh.proxy.http.ResponseFlag;
import io.zonemesh.proxy.xds.NodeIdentity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases of Istio's labels the end-to-end test does not reach. */
class IstioLabelsTest {
    private final IstioLabels labels =
            new IstioLabels(WorkloadPeer.local(NodeIdentity.sidecar("reviews-1", "bookinfo", "reviews"), ""));

    private Map<String, String> of(RequestRecord r) {
        List<String> values =
                labels.values(r, IstioStandardMetrics.responseFlags(r), IstioStandardMetrics.securityPolicy(r));
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            out.put(IstioLabels.NAMES.get(i), values.get(i));
        }
        return out;
    }

    private static RequestRecord record(
            Direction direction, String cluster, String workload, List<ResponseFlag> flags, int status) {
        return new RequestRecord(
                direction,
                "l",
                0,
                "GET",
                "ratings.bookinfo:9080",
                "/",
                "HTTP/1.1",
                status,
                flags,
                cluster,
                "10.0.0.1:9080",
                "r1/z1/",
                1,
                1,
                0,
                0,
                1,
                null,
                null,
                workload);
    }

    @Test
    void plaintextInboundIsNoneAndTheCallerUnknown() {
        Map<String, String> l = of(record(Direction.INBOUND, "inbound|9080||", "", List.of(), 200));

        assertThat(l)
                .containsEntry("reporter", "destination")
                .containsEntry("connection_security_policy", "none")
                .containsEntry("source_principal", "unknown")
                .containsEntry("destination_workload", "reviews")
                .containsEntry("destination_canonical_service", "reviews")
                .containsEntry("destination_canonical_revision", "latest")
                .containsEntry("destination_principal", "unknown")
                .containsEntry("destination_service", "ratings.bookinfo");
    }

    @Test
    void aPodNameInIstioWorkloadNamesNoWorkloadButTheLocalityStillCounts() {
        Map<String, String> l = of(record(
                Direction.OUTBOUND,
                "outbound|9080|v1|ratings.bookinfo.svc.cluster.local",
                "ratings-v1-abc",
                List.of(ResponseFlag.UPSTREAM_CONNECT_FAILURE, ResponseFlag.UPSTREAM_RETRY_LIMIT_EXCEEDED),
                503));

        assertThat(l)
                .containsEntry("reporter", "source")
                .containsEntry("source_workload", "reviews")
                .containsEntry("destination_workload", "unknown")
                .containsEntry("destination_zone", "z1")
                .containsEntry("destination_region", "r1")
                .containsEntry("destination_service", "ratings.bookinfo.svc.cluster.local")
                .containsEntry("destination_service_name", "ratings")
                .containsEntry("destination_service_namespace", "bookinfo")
                .containsEntry("response_code", "503")
                .containsEntry("response_flags", "UF,URX")
                .containsEntry("connection_security_policy", "unknown");
    }
}

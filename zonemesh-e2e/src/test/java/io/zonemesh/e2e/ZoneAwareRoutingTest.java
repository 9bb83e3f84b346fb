package io.zonemesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * grpc-java's xDS client in zone-a of region-1 (labelled {@code track: green}) against echo backends
 * in zones a and b. A DestinationRule with outlierDetection turns on Istio's default locality
 * failover (LOCALITY.md §2.1), so the control plane sends this client zone-a at priority 0 and zone-b
 * at priority 1. grpc makes no zone-aware choice of its own (XDS_INTEROP.md): staying in the zone and
 * failing over are the control plane's per-client priorities at work.
 *
 * <p>The tests share one control plane (the JVM's one bootstrap points at it); each applies its own
 * mesh and opens its own channel.
 */
class ZoneAwareRoutingTest {
    private static final String REGION = "region-1";
    private static final String OUTLIER_DETECTION = """
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: echo, namespace: e2e}
            spec:
              host: echo.zonemesh.test
              trafficPolicy:
                outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
            """;

    private static InteropMesh mesh;

    private final List<EchoBackend> backends = new ArrayList<>();
    private EchoClient client;

    @BeforeAll
    static void startControlPlane() throws Exception {
        mesh = InteropMesh.start();
        new GrpcXdsBootstrap(
                        mesh.xdsPort(),
                        InteropMesh.NAMESPACE,
                        "grpc-client",
                        REGION,
                        "zone-a",
                        Map.of("app", "grpc-client", "track", "green"))
                .install();
    }

    @AfterAll
    static void stopControlPlane() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @AfterEach
    void stopClientAndBackends() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            for (EchoBackend b : backends) {
                b.close();
            }
        }
    }

    @Test
    void keepsEveryCallInTheClientsZone() throws Exception {
        connect(OUTLIER_DETECTION, backend("a1", "zone-a"), backend("a2", "zone-a"), backend("b1", "zone-b"));

        List<EchoReply> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(client.call());
        }

        assertThat(replies).extracting(EchoReply::zone).containsOnly("zone-a");
        // Both zone-a endpoints share priority 0: the zone is preferred, not a single host.
        assertThat(replies).extracting(EchoReply::backend).contains("a1", "a2");
        assertThat(mesh.rejects()).as("NACKs from grpc").isZero();
    }

    @Test
    void failsOverToNextZoneWhenTheClientsZoneStops() throws Exception {
        EchoBackend a1 = backend("a1", "zone-a");
        EchoBackend a2 = backend("a2", "zone-a");
        connect(OUTLIER_DETECTION, a1, a2, backend("b1", "zone-b"));
        for (int i = 0; i < 20; i++) {
            assertThat(client.call().zone()).isEqualTo("zone-a");
        }

        a1.close();
        a2.close();

        // Refused connections move grpc's priority policy to priority 1 at once; XDS_INTEROP.md saw
        // no failed call, one is tolerated for a call racing the connection close.
        assertOnlyAnswersFrom("b1", 100);
        assertThat(mesh.rejects()).as("NACKs from grpc").isZero();
    }

    /**
     * A backend that accepts connections but fails every call stays READY to grpc, so only outlier
     * detection can take it out. grpc implements failure-percentage and success-rate ejection only,
     * not Istio's {@code consecutive5xxErrors} (LOCALITY.md §5.4.2); the control plane adds
     * failure-percentage fields for grpc clients (docs/XDS_SHAPES.md "Clusters").
     */
    @Test
    void failsOverToNextZoneWhenLocalEndpointsEjected() throws Exception {
        EchoBackend broken = EchoBackend.startFailing("a1", REGION, "zone-a", Map.of("app", "echo"), Status.INTERNAL);
        backends.add(broken);
        connect("""
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: echo, namespace: e2e}
                spec:
                  host: echo.zonemesh.test
                  trafficPolicy:
                    outlierDetection: {consecutive5xxErrors: 5, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 100}
                """, broken, backend("b1", "zone-b"));

        List<Status.Code> failures = new ArrayList<>();
        // Calls go to zone-a and fail until grpc's detection timer (interval 1 s) has seen at least
        // failure_percentage_request_volume calls to a1, all failed, and ejects it.
        await("a call answered by zone-b")
                .atMost(Duration.ofSeconds(20))
                .pollInSameThread()
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    try {
                        return client.call().backend().equals("b1");
                    } catch (StatusRuntimeException e) {
                        failures.add(e.getStatus().getCode());
                        return false;
                    }
                });

        assertThat(failures).as("failures before the ejection").isNotEmpty().containsOnly(Status.Code.INTERNAL);
        assertOnlyAnswersFrom("b1", 100);
        assertThat(mesh.rejects()).as("NACKs from grpc").isZero();
    }

    /**
     * {@code failoverPriority: [track]} splits one locality over two priorities (LOCALITY.md §1.5):
     * green (the client's track) at 0, blue in the same zone at 1. grpc keys EDS localities by name, so
     * a repeat would overwrite the earlier entry (LOCALITY.md §5.4.1); the control plane gives each
     * split group its own {@code sub_zone} for grpc clients, and grpc keeps both priorities in order.
     */
    @Test
    void prefersTheClientsTrackThenFailsOverWithinTheSameZone() throws Exception {
        EchoBackend green = EchoBackend.start("green", REGION, "zone-a", Map.of("app", "echo", "track", "green"));
        backends.add(green);
        backends.add(EchoBackend.start("blue", REGION, "zone-a", Map.of("app", "echo", "track", "blue")));
        connect("""
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata: {name: echo, namespace: e2e}
                spec:
                  host: echo.zonemesh.test
                  trafficPolicy:
                    loadBalancer:
                      localityLbSetting: {failoverPriority: [track]}
                    outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s}
                """, backends.toArray(new EchoBackend[0]));
        for (int i = 0; i < 100; i++) {
            assertThat(client.call().backend()).as("call %d", i).isEqualTo("green");
        }

        green.close();

        assertOnlyAnswersFrom("blue", 100);
        assertThat(mesh.rejects()).as("NACKs from grpc").isZero();
    }

    private EchoBackend backend(String name, String zone) throws IOException {
        EchoBackend b = EchoBackend.start(name, REGION, zone, Map.of("app", "echo"));
        backends.add(b);
        return b;
    }

    /** Registers {@code endpoints} with {@code destinationRule} and opens the xDS channel once it is pushed. */
    private void connect(String destinationRule, EchoBackend... endpoints) {
        mesh.apply(List.of(endpoints), destinationRule);
        client = new EchoClient(InteropMesh.TARGET);
    }

    /** {@code calls} calls: at most one fails, every other is answered by {@code backend}. */
    private void assertOnlyAnswersFrom(String backend, int calls) {
        List<EchoReply> replies = new ArrayList<>();
        List<Status.Code> failures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            try {
                replies.add(client.call());
            } catch (StatusRuntimeException e) {
                failures.add(e.getStatus().getCode());
            }
        }
        assertThat(failures).as("failed calls").hasSizeLessThanOrEqualTo(1);
        assertThat(replies).extracting(EchoReply::backend).containsOnly(backend);
    }
}

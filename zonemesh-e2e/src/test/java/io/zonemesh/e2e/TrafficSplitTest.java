package io.zonemesh.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A VirtualService as grpc-java's xDS client applies it: a header match on the gRPC metadata
 * {@code user: alice} to subset v2, then a 90/10 weighted split between subsets v1 and v2 for
 * everyone else (the control plane renders RDS {@code headers} matchers and
 * {@code weighted_clusters} over the subsets' {@code outbound|7070|<subset>|echo.zonemesh.test}
 * clusters; grpc picks the cluster per call).
 */
class TrafficSplitTest {
    private static final String REGION = "region-1";
    private static final String ROUTING = """
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: echo, namespace: e2e}
            spec:
              host: echo.zonemesh.test
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata: {name: echo, namespace: e2e}
            spec:
              hosts: [echo.zonemesh.test]
              http:
              - name: alice
                match: [{headers: {user: {exact: alice}}}]
                route: [{destination: {host: echo.zonemesh.test, subset: v2}}]
              - name: split
                route:
                - {destination: {host: echo.zonemesh.test, subset: v1}, weight: 90}
                - {destination: {host: echo.zonemesh.test, subset: v2}, weight: 10}
            """;

    private static InteropMesh mesh;
    private static EchoBackend v1;
    private static EchoBackend v2;
    private static EchoClient client;

    @BeforeAll
    static void start() throws Exception {
        mesh = InteropMesh.start();
        new GrpcXdsBootstrap(
                        mesh.xdsPort(),
                        InteropMesh.NAMESPACE,
                        "grpc-client",
                        REGION,
                        "zone-a",
                        Map.of("app", "grpc-client"))
                .install();
        v1 = EchoBackend.start("v1", REGION, "zone-a", Map.of("app", "echo", "version", "v1"));
        v2 = EchoBackend.start("v2", REGION, "zone-a", Map.of("app", "echo", "version", "v2"));
        mesh.apply(List.of(v1, v2), ROUTING);
        client = new EchoClient(InteropMesh.TARGET);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            for (EchoBackend b : new EchoBackend[] {v1, v2}) {
                if (b != null) {
                    b.close();
                }
            }
        } finally {
            if (mesh != null) {
                mesh.close();
            }
        }
    }

    @Test
    void splitsNinetyTenBetweenSubsetsWithinThreePercent() {
        int calls = 2000;
        int onV1 = 0;
        for (int i = 0; i < calls; i++) {
            String backend = client.call().backend();
            assertThat(backend).isIn("v1", "v2");
            onV1 += backend.equals("v1") ? 1 : 0;
        }

        // 90% ± 3 points of 2000 calls; the binomial standard deviation is ~13 calls, so the band is ±4.5σ.
        assertThat(onV1).as("calls on v1 of %d", calls).isBetween(1740, 1860);
        assertThat(mesh.rejects()).as("NACKs from grpc").isZero();
    }

    @Test
    void routesEveryCallWithUserAliceToItsSubset() {
        for (int i = 0; i < 200; i++) {
            assertThat(client.call(Map.of("user", "alice")).backend()).isEqualTo("v2");
        }
        // Any other user falls through to the split: the match is on the header's value, not its presence.
        int bobOnV1 = 0;
        for (int i = 0; i < 200; i++) {
            bobOnV1 += client.call(Map.of("user", "bob")).backend().equals("v1") ? 1 : 0;
        }
        // Expected 180 (σ ≈ 4.2); 160 is far below that and far above what the alice route would give (0).
        assertThat(bobOnV1).isGreaterThanOrEqualTo(160);
        assertThat(mesh.rejects()).as("NACKs from grpc").isZero();
    }
}

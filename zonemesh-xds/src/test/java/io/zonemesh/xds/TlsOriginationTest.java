package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.ClientTls;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.TrafficPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DestinationRule {@code tls} on the clusters each kind of client gets. */
class TlsOriginationTest {
    private static final ProxyIdentity CLIENT = ProxyIdentity.sidecar("sample", "c", Map.of(), Locality.EMPTY);
    private final XdsGenerator generator = new XdsGenerator();

    private static MeshState mesh(ClientTls.Mode topMode, ClientTls subsetTls) {
        TrafficPolicy top = new TrafficPolicy(null, null, null, tls(topMode), List.of());
        DestinationRuleConfig rule = Fixtures.rule(
                "sample",
                "helloworld",
                top,
                List.of(new DestinationRuleConfig.Subset(
                        "plain", Map.of("v", "1"), new TrafficPolicy(null, null, null, subsetTls, List.of()))),
                Map.of());
        return new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .rule(rule)
                .build();
    }

    private static ClientTls tls(ClientTls.Mode mode) {
        return new ClientTls(mode, null, null, "/etc/ca.pem", null, List.of(), "hello.internal", false);
    }

    private static Cluster cluster(XdsResources r, String name) {
        return r.clusters().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void simpleTlsGoesOnTheServiceClusterAndASubsetMayTurnItOff() {
        XdsResources r = generator.outbound(mesh(ClientTls.Mode.SIMPLE, tls(ClientTls.Mode.DISABLE)), CLIENT);

        assertThat(cluster(r, "outbound|5000||" + Fixtures.HELLO).hasTransportSocket())
                .isTrue();
        assertThat(cluster(r, "outbound|5000|plain|" + Fixtures.HELLO).hasTransportSocket())
                .isFalse();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void grpcClientsGetNoFileBasedTlsAndAWarning() {
        XdsResources r = generator.outbound(mesh(ClientTls.Mode.SIMPLE, null), CLIENT.withoutOverprovisioning(true));

        assertThat(r.clusters()).noneMatch(Cluster::hasTransportSocket);
        assertThat(r.warnings())
                .contains("cluster outbound|5000||" + Fixtures.HELLO + ": trafficPolicy.tls SIMPLE "
                        + "left out for grpc clients: they need certificate providers, not files");
    }
}

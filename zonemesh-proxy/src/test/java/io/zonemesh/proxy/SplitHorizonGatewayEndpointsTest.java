package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.endpoint;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.type.v3.Percent;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.MeshFixture;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.testing.RawHttpClient.Response;
import io.zonemesh.proxy.xds.NodeIdentity;
import io.zonemesh.proxy.xds.ResourceType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Split-horizon EDS over real sockets: one "gateway" address listed in two remote localities
 * (weights 3 and 1) at priority 0, another host at priority 1. The assignment is accepted, the
 * localities get their weights' share, and when the gateway dies it is ejected in both
 * localities at once, so traffic fails over after a single failure.
 */
@ExtendWith(NettyLeakCheck.class)
class SplitHorizonGatewayEndpointsTest {
    private static final Duration WAIT = MeshFixture.WAIT;
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String URL = "http://helloworld.sample:5000/hello";
    private static final Pattern ZONE_COUNT = Pattern.compile(
            "zonemesh_requests_total\\{[^}]*destination_zone=\"(z[12])\"[^}]*response_code=\"200\"[^}]*} ([0-9.]+)");

    private MeshFixture mesh;
    private EchoServer gateway;
    private EchoServer fallback;
    private ZonemeshProxy proxy;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("SplitHorizonGatewayEndpointsTest");
        gateway = mesh.server("gw");
        fallback = mesh.server("fallback");
        Cluster cluster = edsCluster(HELLO)
                .setConnectTimeout(millis(1000))
                .setOutlierDetection(OutlierDetection.newBuilder()
                        .setConsecutive5Xx(UInt32Value.of(1))
                        .setEnforcingSuccessRate(UInt32Value.of(0))
                        .setMaxEjectionPercent(UInt32Value.of(100)))
                .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
                        .setHealthyPanicThreshold(Percent.newBuilder().setValue(0))
                        .setLocalityWeightedLbConfig(
                                Cluster.CommonLbConfig.LocalityWeightedLbConfig.getDefaultInstance()))
                .build();
        mesh.ads.set(ResourceType.CLUSTER, "1", cluster);
        mesh.ads.set(
                ResourceType.ENDPOINT,
                "1",
                cla(HELLO, remote("z1", 3), remote("z2", 1), locality("r1", "z0", 1, fallback.address())));
        mesh.ads.set(ResourceType.LISTENER, "1", outboundListener());
        mesh.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig("http_proxy", virtualHost("hello", List.of("helloworld.sample:5000"), HELLO)));
        proxy = mesh.start(
                b -> b.node(NodeIdentity.sidecar("sleep-1", "sample", "sleep").withLocality("r1", "z0", "")));
    }

    /** The gateway in remote zone {@code zone} of region r2, with that zone's locality weight. */
    private LocalityLbEndpoints remote(String zone, int weight) {
        String hostPort = gateway.address();
        int colon = hostPort.lastIndexOf(':');
        return LocalityLbEndpoints.newBuilder()
                .setLocality(Locality.newBuilder().setRegion("r2").setZone(zone))
                .setLoadBalancingWeight(UInt32Value.of(weight))
                .addLbEndpoints(endpoint(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))))
                .build();
    }

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private Map<String, Integer> send(int count) {
        Map<String, Integer> served = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Response response = RawHttpClient.get(proxy.outboundPort(), URL);
            String by = response.status() == 200 ? response.body().split(" ")[0] : String.valueOf(response.status());
            served.merge(by, 1, Integer::sum);
            if (response.status() != 200) {
                await().atMost(WAIT)
                        .until(() -> proxy.metrics()
                                        .registry()
                                        .get("zonemesh.outlier.ejections")
                                        .functionCounter()
                                        .count()
                                >= 1);
            }
        }
        return served;
    }

    private Map<String, Double> servedByZone() {
        String prometheus = RawHttpClient.get(proxy.adminPort(), "http://admin/stats/prometheus")
                .body();
        Map<String, Double> byZone = new HashMap<>();
        Matcher m = ZONE_COUNT.matcher(prometheus);
        while (m.find()) {
            byZone.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return byZone;
    }

    @Test
    void oneGatewayInTwoLocalitiesIsBalancedByTheirWeightsAndEjectedInBothWhenDead() {
        assertThat(send(40)).containsOnlyKeys("gw");
        Map<String, Double> byZone = servedByZone();
        assertThat(byZone.get("z1")).isBetween(24.0, 36.0);
        assertThat(byZone.get("z1") + byZone.get("z2")).isEqualTo(40.0);

        gateway.close();
        Map<String, Integer> afterDeath = send(20);

        // One failure ejects the gateway's shared outlier state: both localities of P0 are gone.
        assertThat(afterDeath.getOrDefault("503", 0)).isEqualTo(1);
        assertThat(afterDeath.get("fallback")).isEqualTo(19);
    }
}

package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The proxy with zonemesh-lb's Envoy load balancer (the default factory), as Istio would
 * configure it: outlier detection with {@code always_eject_one_host}, panic threshold 0.
 */
@ExtendWith(NettyLeakCheck.class)
class ZoneFailoverWithEnvoyLoadBalancerTest {
    private static final Duration WAIT = MeshFixture.WAIT;
    private static final String HELLO = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String URL = "http://helloworld.sample:5000/hello";

    private MeshFixture mesh;
    private EchoServer a1;
    private EchoServer a2;
    private EchoServer b1;
    private ZonemeshProxy proxy;
    private long failuresSoFar;

    @BeforeEach
    void setUp() {
        mesh = new MeshFixture("ZoneFailoverWithEnvoyLoadBalancerTest");
        a1 = mesh.server("a1");
        a2 = mesh.server("a2");
        b1 = mesh.server("b1");
        Cluster cluster = edsCluster(HELLO)
                .setConnectTimeout(millis(1000))
                .setOutlierDetection(OutlierDetection.newBuilder()
                        .setConsecutive5Xx(UInt32Value.of(1))
                        .setEnforcingSuccessRate(UInt32Value.of(0))
                        .setAlwaysEjectOneHost(BoolValue.of(true))
                        .setMaxEjectionPercent(UInt32Value.of(100)))
                .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
                        .setHealthyPanicThreshold(Percent.newBuilder().setValue(0)))
                .build();
        mesh.ads.set(ResourceType.CLUSTER, "1", cluster);
        mesh.ads.set(
                ResourceType.ENDPOINT,
                "1",
                cla(
                        HELLO,
                        locality("us-east1", "us-east1-a", 0, a1.address(), a2.address()),
                        locality("us-east1", "us-east1-b", 1, b1.address())));
        mesh.ads.set(ResourceType.LISTENER, "1", outboundListener());
        mesh.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig("http_proxy", virtualHost("hello", List.of("helloworld.sample:5000"), HELLO)));
        proxy = mesh.start(b ->
                b.node(NodeIdentity.sidecar("sleep-1", "sample", "sleep").withLocality("us-east1", "us-east1-a", "")));
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
                // As in Envoy, the xDS thread applies the ejection just after the failure, not the
                // event loop that saw it: wait for it as Envoy's tests wait for ejections_active.
                long failures = ++failuresSoFar;
                await().atMost(WAIT)
                        .until(() -> proxy.metrics()
                                        .registry()
                                        .get("zonemesh.outlier.ejections")
                                        .functionCounter()
                                        .count()
                                >= failures);
            }
        }
        return served;
    }

    @Test
    void spreadsOverTheLocalZoneAndFailsOverHostByHostThenZoneByZone() {
        Map<String, Integer> healthy = send(20);
        assertThat(healthy).containsOnlyKeys("a1", "a2");
        assertThat(healthy.get("a1")).isBetween(5, 15);

        a1.close();
        Map<String, Integer> oneDown = send(20);
        assertThat(oneDown.getOrDefault("503", 0)).isEqualTo(1);
        // One of two local hosts ejected: P0 health 1.4 * 50% = 70%, so about 30% spills to P1.
        assertThat(oneDown).containsKey("a2").doesNotContainKey("a1");

        a2.close();
        Map<String, Integer> zoneDown = send(20);
        assertThat(zoneDown.getOrDefault("503", 0)).isEqualTo(1);
        assertThat(zoneDown.get("b1")).isEqualTo(19);

        String prometheus = RawHttpClient.get(proxy.adminPort(), "http://admin/stats/prometheus")
                .body();
        assertThat(prometheus).contains("zonemesh_outlier_ejections_total{cluster=\"" + HELLO + "\"} 2.0");
        assertThat(prometheus).contains("zonemesh_cluster_ejected_hosts{cluster=\"" + HELLO + "\"} 2.0");
        assertThat(prometheus).contains("destination_zone=\"us-east1-b\",direction=\"outbound\",response_code=\"200\"");
    }
}

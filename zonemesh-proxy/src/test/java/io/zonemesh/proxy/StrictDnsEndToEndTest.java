package io.zonemesh.proxy;

import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static io.zonemesh.proxy.testing.ProxyFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.testing.EchoServer;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.testing.NettyLeakCheck;
import io.zonemesh.proxy.testing.ProxyFixture;
import io.zonemesh.proxy.testing.RawHttpClient;
import io.zonemesh.proxy.xds.ResourceType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The external-failover example: a ServiceEntry with {@code resolution: DNS} becomes a
 * STRICT_DNS cluster whose endpoints are {@code localhost} on two ports in two regions.
 */
@ExtendWith(NettyLeakCheck.class)
class StrictDnsEndToEndTest {
    private static final String DB = "outbound|80||mydb.example.com";
    private EventLoopGroup group;
    private ProxyFixture fixture;
    private EchoServer west;

    @BeforeEach
    void setUp() {
        group = Transport.preferred().newGroup(1, new DefaultThreadFactory("StrictDnsEndToEndTest"));
        fixture = new ProxyFixture(group, b -> b);
        west = new EchoServer("west", group);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
        west.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static LocalityLbEndpoints region(String region, int priority, int port) {
        return LocalityLbEndpoints.newBuilder()
                .setLocality(Locality.newBuilder().setRegion(region))
                .setPriority(priority)
                .setLoadBalancingWeight(UInt32Value.of(1))
                .addLbEndpoints(EnvoyResources.endpoint("localhost", port))
                .build();
    }

    @Test
    void resolvesLocalhostEndpointsAndFailsOverBetweenRegions() {
        Cluster cluster = Cluster.newBuilder()
                .setName(DB)
                .setType(Cluster.DiscoveryType.STRICT_DNS)
                .setDnsLookupFamily(Cluster.DnsLookupFamily.V4_ONLY)
                .setConnectTimeout(EnvoyResources.millis(1000))
                .setOutlierDetection(OutlierDetection.newBuilder().setConsecutive5Xx(UInt32Value.of(1)))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName(DB)
                        .addEndpoints(region("us-east1", 0, fixture.upstream.port()))
                        .addEndpoints(region("us-west1", 1, west.port())))
                .build();
        fixture.ads.set(ResourceType.CLUSTER, "1", cluster);
        fixture.ads.set(ResourceType.LISTENER, "1", outboundListener());
        fixture.ads.set(
                ResourceType.ROUTE,
                "1",
                routeConfig(
                        "http_proxy",
                        virtualHost("mydb.example.com:80", List.of("mydb.example.com", "mydb.example.com:80"), DB)));
        fixture.proxy.start();
        await().atMost(WAIT).until(fixture.proxy::ready);

        assertThat(fixture.proxy.snapshot().cluster(DB).hosts())
                .extracting(HostSpec::key)
                .containsExactly("127.0.0.1:" + fixture.upstream.port(), "127.0.0.1:" + west.port());
        assertThat(RawHttpClient.get(fixture.port(), "http://mydb.example.com/status")
                        .body())
                .isEqualTo("upstream GET /status");

        fixture.upstream.close();
        assertThat(RawHttpClient.get(fixture.port(), "http://mydb.example.com/status")
                        .status())
                .isEqualTo(503);
        assertThat(RawHttpClient.get(fixture.port(), "http://mydb.example.com/status")
                        .body())
                .isEqualTo("west GET /status");
        assertThat(west.hosts()).containsOnly("mydb.example.com");
    }
}

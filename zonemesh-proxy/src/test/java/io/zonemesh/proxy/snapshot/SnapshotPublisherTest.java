package io.zonemesh.proxy.snapshot;

import static io.zonemesh.proxy.testing.EnvoyResources.cla;
import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.inboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.locality;
import static io.zonemesh.proxy.testing.EnvoyResources.millis;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.routeConfig;
import static io.zonemesh.proxy.testing.EnvoyResources.staticCluster;
import static io.zonemesh.proxy.testing.EnvoyResources.virtualHost;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.testing.FakeClusterLoadBalancer;
import io.zonemesh.proxy.testing.FakeLoadBalancerFactory;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.proxy.xds.XdsResourcesFixture;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {
    private static final String C1 = "outbound|5000||helloworld.sample.svc.cluster.local";
    private static final String DB = "outbound|80||mydb.example.com";

    private final FakeClock clock = new FakeClock();
    private final FakeLoadBalancerFactory balancers = new FakeLoadBalancerFactory();
    private final List<String> clusterEvents = new ArrayList<>();
    private final Map<String, List<InetAddress>> dnsAnswers = new HashMap<>();
    private final DnsResolver dns = new DnsResolver(this::lookup, Runnable::run, Runnable::run, clock);
    private final SnapshotPublisher publisher = new SnapshotPublisher(
            new ClusterManager(balancers, clock, RandomSource.seeded(1), clock, new ClusterManager.Listener() {
                @Override
                public void onClusterAdded(ActiveCluster cluster) {
                    clusterEvents.add("+" + cluster.name());
                }

                @Override
                public void onClusterRemoved(String clusterName) {
                    clusterEvents.add("-" + clusterName);
                }
            }),
            dns);

    private List<InetAddress> lookup(String host) throws UnknownHostException {
        List<InetAddress> answer = dnsAnswers.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        return answer;
    }

    @AfterEach
    void tearDown() {
        publisher.shutdown();
        assertThat(clock.pendingTasks()).as("timers left at teardown").isEmpty();
    }

    private static XdsResourcesFixture base() {
        return XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", edsCluster(C1).build())
                .set(ResourceType.LISTENER, "1", outboundListener())
                .set(
                        ResourceType.ROUTE,
                        "1",
                        routeConfig("http_proxy", virtualHost("h", List.of("helloworld.sample:5000"), C1)));
    }

    @Test
    void createsOneLoadBalancerPerClusterAndUpdatesItInPlace() {
        publisher.onResourcesChanged(
                base().set(ResourceType.ENDPOINT, "1", cla(C1, locality("r", "a", 0, "10.0.0.1:5000")))
                        .build());
        FakeClusterLoadBalancer balancer = balancers.get(C1);

        publisher.onResourcesChanged(base().set(
                        ResourceType.ENDPOINT,
                        "2",
                        cla(C1, locality("r", "a", 0, "10.0.0.1:5000"), locality("r", "b", 1, "10.0.0.2:5000")))
                .build());

        assertThat(balancers.created()).hasSize(1);
        assertThat(balancer.updates()).isEqualTo(1);
        assertThat(publisher.current().cluster(C1).loadBalancer()).isSameAs(balancer);
        assertThat(publisher.current().cluster(C1).hosts())
                .extracting(HostSpec::key)
                .containsExactly("10.0.0.1:5000", "10.0.0.2:5000");
        assertThat(clusterEvents).containsExactly("+" + C1);
    }

    @Test
    void unchangedClusterIsNotUpdatedAgain() {
        publisher.onResourcesChanged(
                base().set(ResourceType.ENDPOINT, "1", cla(C1, locality("r", "a", 0, "10.0.0.1:5000")))
                        .build());
        publisher.onResourcesChanged(
                base().set(ResourceType.ENDPOINT, "2", cla(C1, locality("r", "a", 0, "10.0.0.1:5000")))
                        .build());

        assertThat(balancers.get(C1).updates()).isZero();
    }

    @Test
    void loadBalancerConfigCombinesClusterAndAssignmentPolicy() {
        Cluster cluster = edsCluster(C1)
                .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
                .setOutlierDetection(OutlierDetection.newBuilder().setConsecutive5Xx(UInt32Value.of(1)))
                .build();
        ClusterLoadAssignment assignment = cla(C1, locality("r", "a", 0, "10.0.0.1:5000")).toBuilder()
                .setPolicy(ClusterLoadAssignment.Policy.newBuilder().setOverprovisioningFactor(UInt32Value.of(200)))
                .build();

        publisher.onResourcesChanged(base().set(ResourceType.CLUSTER, "1", cluster)
                .set(ResourceType.ENDPOINT, "1", assignment)
                .build());

        var config = balancers.get(C1).config();
        assertThat(config.overprovisioningFactor()).isEqualTo(200);
        assertThat(config.panicThresholdPercent()).isEqualTo(50);
        assertThat(config.outlierDetection().consecutive5xx()).isEqualTo(1);
    }

    @Test
    void retiresTheLoadBalancerOfARemovedClusterAfterPublishing() {
        publisher.onResourcesChanged(
                base().set(ResourceType.ENDPOINT, "1", cla(C1, locality("r", "a", 0, "10.0.0.1:5000")))
                        .build());
        FakeClusterLoadBalancer balancer = balancers.get(C1);

        publisher.onResourcesChanged(
                base().set(ResourceType.CLUSTER, "2", staticCluster("inbound|5000||", "127.0.0.1", 8080))
                        .build());

        assertThat(balancer.closed()).isTrue();
        assertThat(publisher.current().cluster(C1)).isNull();
        assertThat(publisher.current().cluster("inbound|5000||").hosts()).hasSize(1);
        assertThat(clusterEvents).containsExactly("+" + C1, "+inbound|5000||", "-" + C1);
    }

    @Test
    void becomesReadyOnceEverythingTheListenersNeedArrivedAndStaysReady() {
        publisher.onResourcesChanged(XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", edsCluster(C1).build())
                .build());
        assertThat(publisher.current().ready()).isFalse();
        publisher.onResourcesChanged(base().build());
        assertThat(publisher.current().ready()).as("EDS missing").isFalse();

        publisher.onResourcesChanged(
                base().set(ResourceType.ENDPOINT, "1", cla(C1, locality("r", "a", 0, "10.0.0.1:5000")))
                        .build());
        assertThat(publisher.current().ready()).isTrue();
        assertThat(publisher.current().routeTable("virtualOutbound")).isNotNull();

        publisher.onResourcesChanged(
                base().set(ResourceType.CLUSTER, "2", edsCluster("other").build())
                        .build());
        assertThat(publisher.current().ready()).isTrue();
    }

    @Test
    void inboundListenerRoutesAreReadyWithoutRds() {
        publisher.onResourcesChanged(XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", staticCluster("inbound|5000||", "127.0.0.1", 8080))
                .set(ResourceType.LISTENER, "1", inboundListener(5000))
                .build());

        assertThat(publisher.current().ready()).isTrue();
        assertThat(publisher.current().routeTable("virtualInbound").name()).isEqualTo("inbound|http");
        assertThat(publisher.current().routeTable("virtualOutbound")).isNull();
    }

    @SuppressWarnings("deprecation") // Istio still sends dns_refresh_rate
    private static Cluster dnsCluster() {
        LocalityLbEndpoints.Builder east = LocalityLbEndpoints.newBuilder()
                .setLocality(Locality.newBuilder().setRegion("us-east1"))
                .setPriority(0)
                .addLbEndpoints(EnvoyResources.endpoint("db-east.example.com", 18081));
        LocalityLbEndpoints.Builder west = LocalityLbEndpoints.newBuilder()
                .setLocality(Locality.newBuilder().setRegion("us-west1"))
                .setPriority(1)
                .addLbEndpoints(EnvoyResources.endpoint("db-west.example.com", 18082));
        return Cluster.newBuilder()
                .setName(DB)
                .setType(Cluster.DiscoveryType.STRICT_DNS)
                .setDnsRefreshRate(millis(5000))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder()
                        .setClusterName(DB)
                        .addEndpoints(east)
                        .addEndpoints(west))
                .build();
    }

    @Test
    void strictDnsHostsAreTheResolvedAddressesRefreshedEveryRefreshRate() throws UnknownHostException {
        dnsAnswers.put("db-east.example.com", List.of(InetAddress.getByAddress(new byte[] {10, 0, 0, 1})));
        dnsAnswers.put(
                "db-west.example.com",
                List.of(
                        InetAddress.getByAddress(new byte[] {10, 0, 1, 1}),
                        InetAddress.getByAddress(new byte[] {10, 0, 1, 2})));

        publisher.onResourcesChanged(XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", dnsCluster())
                .set(ResourceType.LISTENER, "1", inboundListener(80))
                .build());

        assertThat(publisher.current().ready()).isTrue();
        assertThat(publisher.current().cluster(DB).hosts())
                .containsExactly(
                        new HostSpec("10.0.0.1", 18081, "us-east1//", 0, 0, 1, true, "db-east.example.com"),
                        new HostSpec("10.0.1.1", 18082, "us-west1//", 1, 0, 1, true, "db-west.example.com"),
                        new HostSpec("10.0.1.2", 18082, "us-west1//", 1, 0, 1, true, "db-west.example.com"));

        dnsAnswers.put("db-east.example.com", List.of(InetAddress.getByAddress(new byte[] {10, 0, 0, 9})));
        dnsAnswers.remove("db-west.example.com");
        clock.advance(Duration.ofMillis(4999));
        assertThat(publisher.current().cluster(DB).hosts().get(0).address()).isEqualTo("10.0.0.1");
        clock.advance(Duration.ofMillis(1));

        // A failed lookup keeps the last addresses of that name, as Envoy does.
        assertThat(publisher.current().cluster(DB).hosts())
                .extracting(HostSpec::key)
                .containsExactly("10.0.0.9:18081", "10.0.1.1:18082", "10.0.1.2:18082");
        assertThat(balancers.get(DB).updates()).isEqualTo(1);
    }

    @Test
    void strictDnsClusterIsNotReadyUntilItsFirstResolution() {
        DnsResolver neverAnswering = new DnsResolver(host -> List.of(), task -> {}, Runnable::run, clock);
        SnapshotPublisher waiting = new SnapshotPublisher(
                new ClusterManager(balancers, clock, RandomSource.seeded(1), clock, new ClusterManager.Listener() {
                    @Override
                    public void onClusterAdded(ActiveCluster cluster) {}

                    @Override
                    public void onClusterRemoved(String clusterName) {}
                }),
                neverAnswering);

        waiting.onResourcesChanged(XdsResourcesFixture.builder()
                .set(ResourceType.CLUSTER, "1", dnsCluster())
                .set(ResourceType.LISTENER, "1", inboundListener(80))
                .build());

        assertThat(waiting.current().ready()).isFalse();
        assertThat(waiting.current().cluster(DB).hosts()).isEmpty();
        waiting.shutdown();
    }

    @Test
    void localClusterHostsReachEveryBalancerWithTheNodeLocality() {
        String local = ClusterManager.LOCAL_CLUSTER;
        SnapshotPublisher zoned = new SnapshotPublisher(
                new ClusterManager(
                        balancers,
                        clock,
                        RandomSource.seeded(1),
                        clock,
                        new ClusterManager.Listener() {
                            @Override
                            public void onClusterAdded(ActiveCluster cluster) {}

                            @Override
                            public void onClusterRemoved(String clusterName) {}
                        },
                        "r/a/"),
                dns);
        XdsResourcesFixture resources = base().set(
                        ResourceType.CLUSTER,
                        "2",
                        edsCluster(C1).build(),
                        edsCluster(local).build());

        zoned.onResourcesChanged(resources
                .set(ResourceType.ENDPOINT, "1", cla(C1, locality("r", "a", 0, "10.0.0.1:5000")))
                .build());
        assertThat(balancers.get(C1).config().localCluster())
                .as("no local hosts yet")
                .isNull();

        zoned.onResourcesChanged(resources
                .set(
                        ResourceType.ENDPOINT,
                        "2",
                        cla(C1, locality("r", "a", 0, "10.0.0.1:5000")),
                        cla(local, locality("r", "a", 0, "10.1.0.1:8080"), locality("r", "b", 0, "10.1.0.2:8080")))
                .build());

        var localCluster = balancers.get(C1).config().localCluster();
        assertThat(localCluster.locality()).isEqualTo("r/a/");
        assertThat(localCluster.hosts()).extracting(HostSpec::key).containsExactly("10.1.0.1:8080", "10.1.0.2:8080");
        assertThat(balancers.get(local).config().localCluster()).isEqualTo(localCluster);
        zoned.shutdown();
    }
}

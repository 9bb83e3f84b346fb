package io.zonemesh.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.NetworkGateway;
import io.zonemesh.model.Protocol;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.ClientTls;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.xds.security.MtlsTransportSockets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Multi-network output: split-horizon EDS for sidecars, failoverPriority on cluster and network,
 * the east-west gateway's AUTO_PASSTHROUGH chains and SNI-DNAT clusters, and the legacy
 * {@code .global} form.
 */
class MultiNetworkTest {
    static final String HELLO = Fixtures.HELLO;
    static final NetworkGateway EW2 = new NetworkGateway("network2", "cluster2", "127.0.2.10", 15443);
    static final Map<String, String> EASTWEST = Map.of("istio", "eastwestgateway");
    private final XdsGenerator generator = new XdsGenerator();

    static Endpoint hello(String address, String locality, String network, String cluster, String version, boolean mtls) {
        Map<String, String> labels = new java.util.HashMap<>(Map.of("app", "helloworld", "version", version));
        if (mtls) {
            labels.put(Endpoint.TLS_MODE_LABEL, Endpoint.TLS_MODE_ISTIO);
        }
        return new Endpoint(
                HELLO,
                5000,
                address,
                5000,
                "helloworld-" + version + "-" + address,
                "sample",
                Locality.parse(locality),
                labels,
                network,
                cluster,
                "",
                HealthStatus.HEALTHY,
                true,
                1);
    }

    static TestMesh twoNetworks() {
        return new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .endpoints(
                        hello("10.1.0.1", "region1/zone1", "network1", "cluster1", "v1", true),
                        hello("10.2.0.1", "region2/zone1", "network2", "cluster2", "v2", true),
                        hello("10.2.0.2", "region2/zone2", "network2", "cluster2", "v2", true),
                        hello("10.2.0.3", "region2/zone2", "network2", "cluster2", "v2", false))
                .networkGateway(EW2);
    }

    static ProxyIdentity sleep(String network) {
        return ProxyIdentity.sidecar("sample", "sleep-1", Map.of("app", "sleep"), Locality.parse("region1/zone1"))
                .withTopology("node1", "cluster1", network);
    }

    static ClusterLoadAssignment cla(XdsResources r, String name) {
        return r.endpoints().stream()
                .filter(c -> c.getClusterName().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** {@code P<priority> <region>/<zone> w<weight> [address:port*weight(mtls)]} per locality. */
    static List<String> describe(ClusterLoadAssignment cla) {
        List<String> out = new ArrayList<>();
        for (LocalityLbEndpoints l : cla.getEndpointsList()) {
            List<String> eps = new ArrayList<>();
            for (LbEndpoint e : l.getLbEndpointsList()) {
                boolean mtls = e.getMetadata().containsFilterMetadata(MtlsTransportSockets.MATCH_METADATA_KEY);
                eps.add(e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
                        + e.getEndpoint().getAddress().getSocketAddress().getPortValue() + "*"
                        + e.getLoadBalancingWeight().getValue() + (mtls ? "(mtls)" : ""));
            }
            out.add("P" + l.getPriority() + " " + l.getLocality().getRegion() + "/" + l.getLocality().getZone() + " w"
                    + l.getLoadBalancingWeight().getValue() + " " + eps);
        }
        return out;
    }

    @Test
    void aSidecarReachesRemoteNetworkEndpointsThroughTheirGatewayOncePerRemoteLocality() {
        XdsResources r = generator.generate(twoNetworks().build(), sleep("network1"));
        assertThat(describe(cla(r, "outbound|5000||" + HELLO)))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.1.0.1:5000*1(mtls)]",
                        "P0 region2/zone1 w1 [127.0.2.10:15443*1(mtls)]",
                        "P0 region2/zone2 w1 [127.0.2.10:15443*1(mtls)]");
    }

    @Test
    void aSidecarOnTheRemoteNetworkUsesThePodsDirectly() {
        XdsResources r = generator.generate(twoNetworks().build(), sleep("network2"));
        assertThat(describe(cla(r, "outbound|5000||" + HELLO)))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.1.0.1:5000*1(mtls)]",
                        "P0 region2/zone1 w1 [10.2.0.1:5000*1(mtls)]",
                        "P0 region2/zone2 w2 [10.2.0.2:5000*1(mtls), 10.2.0.3:5000*1]");
    }

    @Test
    void failoverPriorityOnNetworkAndClusterRanksGatewayEndpointsByTheirTopologyLabels() {
        TrafficPolicy policy = Fixtures.policy(
                Fixtures.failoverPriority("topology.istio.io/network", "topology.istio.io/cluster"),
                Fixtures.outlier(5));
        XdsResources r = generator.generate(
                twoNetworks().rule(Fixtures.rule("sample", HELLO, policy)).build(), sleep("network1"));
        // network first: a mismatch adds N=2 instead of ending the comparison; the gateway's cluster
        // label (cluster2) then also mismatches: 2 + 1; compacted to 0 and 1.
        assertThat(describe(cla(r, "outbound|5000||" + HELLO)))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.1.0.1:5000*1(mtls)]",
                        "P1 region2/zone1 w1 [127.0.2.10:15443*1(mtls)]",
                        "P1 region2/zone2 w1 [127.0.2.10:15443*1(mtls)]");
    }

    @Test
    void failoverPriorityOnClusterAloneSeparatesSameNetworkClusters() {
        TestMesh mesh = new TestMesh()
                .service(Fixtures.service("helloworld", "sample", 5000))
                .endpoints(
                        hello("10.1.0.1", "region1/zone1", "network1", "cluster1", "v1", true),
                        hello("10.3.0.1", "region1/zone1", "network1", "cluster3", "v1", true))
                .rule(Fixtures.rule(
                        "sample",
                        HELLO,
                        Fixtures.policy(Fixtures.failoverPriority("topology.istio.io/cluster"), Fixtures.outlier(5))));
        XdsResources r = generator.generate(mesh.build(), sleep("network1"));
        assertThat(describe(cla(r, "outbound|5000||" + HELLO)))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.1.0.1:5000*1(mtls)]", "P1 region1/zone1 w1 [10.3.0.1:5000*1(mtls)]");
    }

    static GatewayConfig.Server autoPassthrough(String... hosts) {
        return new GatewayConfig.Server(
                15443,
                "tls",
                "TLS",
                List.of(hosts),
                new GatewayConfig.ServerTls("AUTO_PASSTHROUGH", null, null, null, null, false),
                null);
    }

    static ProxyIdentity eastWestGateway(String network, List<String> view) {
        return new ProxyIdentity(
                        "istio-system",
                        "istio-eastwestgateway-1",
                        "istio-eastwestgateway",
                        Map.of("istio", "eastwestgateway", "topology.istio.io/network", network),
                        Locality.parse("region2/zone1"),
                        ProxyIdentity.ProxyType.ROUTER,
                        false,
                        Map.of(),
                        "node2",
                        "cluster2",
                        network)
                .withRequestedNetworkView(view);
    }

    static TestMesh eastWest() {
        DestinationRuleConfig subsets = Fixtures.rule(
                "sample",
                HELLO,
                TrafficPolicy.EMPTY,
                List.of(
                        new DestinationRuleConfig.Subset("v1", Map.of("version", "v1"), null),
                        new DestinationRuleConfig.Subset("v2", Map.of("version", "v2"), null)),
                Map.of());
        Service external = new Service(
                "api.example.com",
                "sample",
                "api.example.com",
                List.of(new ServicePort("https", 443, 443, Protocol.TLS)),
                Map.of(),
                Map.of(),
                Service.Origin.SERVICE_ENTRY_EXTERNAL,
                Service.Resolution.DNS,
                List.of(),
                null);
        return twoNetworks()
                .networkGateway(new NetworkGateway("network1", "cluster1", "127.0.1.10", 15443))
                .service(external)
                .rule(subsets)
                .gateway(Rules.gateway("istio-system", "cross-network-gateway", EASTWEST, autoPassthrough("*.local")));
    }

    @Test
    void autoPassthroughGatewayListenerGolden() throws Exception {
        XdsResources r = generator.generate(eastWest().build(), eastWestGateway("network2", List.of("network2")));
        Listener listener = r.listeners().stream()
                .filter(l -> l.getName().equals("0.0.0.0_15443"))
                .findFirst()
                .orElseThrow();
        GoldenFiles.assertMatches("multinetwork/eastwest-listener.json", XdsJson.print(listener) + "\n");
        List<String> sni = new ArrayList<>();
        for (FilterChain chain : listener.getFilterChainsList()) {
            TcpProxy tcp = chain.getFilters(0).getTypedConfig().unpack(TcpProxy.class);
            sni.add(chain.getFilterChainMatch().getServerNames(0) + " -> " + tcp.getCluster());
        }
        String local = ".helloworld.sample.svc.cluster.local";
        String global = ".helloworld.sample.global";
        assertThat(sni)
                .containsExactly(
                        "outbound_.5000_._" + local + " -> outbound_.5000_._" + local,
                        "outbound_.5000_.v1_" + local + " -> outbound_.5000_.v1_" + local,
                        "outbound_.5000_.v2_" + local + " -> outbound_.5000_.v2_" + local,
                        "outbound_.5000_._" + global + " -> outbound_.5000_._" + local,
                        "outbound_.5000_.v1_" + global + " -> outbound_.5000_.v1_" + local,
                        "outbound_.5000_.v2_" + global + " -> outbound_.5000_.v2_" + local);
    }

    @Test
    void theEastWestGatewaysSniDnatClustersHaveNoTlsAndOnlyItsOwnNetworksMtlsEndpoints() {
        XdsResources r = generator.generate(eastWest().build(), eastWestGateway("network2", List.of("network2")));
        String name = "outbound_.5000_._." + HELLO;
        Cluster cluster = r.clusters().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
        assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
        assertThat(cluster.getEdsClusterConfig().getServiceName()).isEqualTo(name);
        assertThat(cluster.hasTransportSocket()).isFalse();
        assertThat(cluster.getTransportSocketMatchesList()).isEmpty();
        assertThat(r.clusters()).noneMatch(c -> c.getName().equals("outbound_.443_._.api.example.com"));
        // REQUESTED_NETWORK_VIEW=network2 hides network1's pod; 10.2.0.3 has no sidecar (no mTLS).
        assertThat(describe(cla(r, name)))
                .containsExactly(
                        "P0 region2/zone1 w1 [10.2.0.1:5000*1(mtls)]", "P0 region2/zone2 w1 [10.2.0.2:5000*1(mtls)]");
        assertThat(describe(cla(r, "outbound_.5000_.v1_." + HELLO))).isEmpty();
        // the ordinary cluster keeps its non-mTLS endpoint
        assertThat(describe(cla(r, "outbound|5000||" + HELLO)))
                .containsExactly(
                        "P0 region2/zone1 w1 [10.2.0.1:5000*1(mtls)]",
                        "P0 region2/zone2 w2 [10.2.0.2:5000*1(mtls), 10.2.0.3:5000*1]");
    }

    @Test
    void aGatewayWithoutAutoPassthroughGetsNoSniDnatClusters() {
        TestMesh mesh = twoNetworks()
                .gateway(Rules.gateway("istio-system", "ingress", EASTWEST, Rules.http(80, "*")));
        XdsResources r = generator.generate(mesh.build(), eastWestGateway("network2", List.of()));
        assertThat(r.clusters()).noneMatch(c -> c.getName().startsWith("outbound_."));
    }

    @Test
    void globalChainsOnlyWhenAServerHostMatchesTheLocalOrTheGlobalName() throws Exception {
        TestMesh mesh = twoNetworks()
                .gateway(Rules.gateway("istio-system", "cross-network-gateway", EASTWEST, autoPassthrough("*.global")));
        XdsResources r = generator.generate(mesh.build(), eastWestGateway("network2", List.of("network2")));
        Listener listener = r.listeners().stream()
                .filter(l -> l.getName().equals("0.0.0.0_15443"))
                .findFirst()
                .orElseThrow();
        List<String> sni = new ArrayList<>();
        for (FilterChain chain : listener.getFilterChainsList()) {
            sni.add(chain.getFilterChainMatch().getServerNames(0) + " -> "
                    + chain.getFilters(0).getTypedConfig().unpack(TcpProxy.class).getCluster());
        }
        assertThat(sni).containsExactly("outbound_.5000_._.helloworld.sample.global -> outbound_.5000_._." + HELLO);
    }

    @Test
    void aGlobalServiceEntryWithIstioMutualSendsTheGlobalSniToTheRemoteGateway() throws Exception {
        String host = "httpbin.bar.global";
        Service se = new Service(
                host,
                "sample",
                host,
                List.of(new ServicePort("http1", 8000, 8000, Protocol.HTTP)),
                Map.of(),
                Map.of(),
                Service.Origin.SERVICE_ENTRY_INTERNAL,
                Service.Resolution.DNS,
                List.of(),
                null);
        Endpoint gateway = new Endpoint(
                host, 8000, "127.0.2.10", 15443, "", "sample", Locality.parse("region2/zone1"), Map.of(), "", "", "",
                HealthStatus.HEALTHY, false, 1);
        ClientTls istioMutual = new ClientTls(ClientTls.Mode.ISTIO_MUTUAL, null, null, null, null, List.of(), null, false);
        TestMesh mesh = new TestMesh()
                .service(se)
                .endpoints(gateway)
                .rule(Fixtures.rule("sample", "*.global", new TrafficPolicy(null, null, null, istioMutual, List.of())));
        XdsResources r = generator.generate(mesh.build(), sleep("network1"));
        Cluster cluster = r.clusters().stream()
                .filter(c -> c.getName().equals("outbound|8000||" + host))
                .findFirst()
                .orElseThrow();
        var tls = cluster.getTransportSocket()
                .getTypedConfig()
                .unpack(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext.class);
        assertThat(tls.getSni()).isEqualTo("outbound_.8000_._." + host);
        assertThat(describe(cluster.getLoadAssignment())).containsExactly("P0 region2/zone1 w1 [127.0.2.10:15443*1(mtls)]");
    }

    @Test
    void sidecarAssignmentWithTwoGatewaysGolden() throws Exception {
        TestMesh mesh = twoNetworks().networkGateway(new NetworkGateway("network2", "cluster2", "127.0.2.11", 15443));
        ClusterLoadAssignment cla = cla(generator.generate(mesh.build(), sleep("network1")), "outbound|5000||" + HELLO);
        GoldenFiles.assertMatches("multinetwork/sidecar-two-gateways-cla.json", XdsJson.print(cla) + "\n");
        // lcm 2: the local pod weighs 2; each remote pod's 2 splits 1 + 1 over the two gateways.
        assertThat(describe(cla))
                .containsExactly(
                        "P0 region1/zone1 w2 [10.1.0.1:5000*2(mtls)]",
                        "P0 region2/zone1 w2 [127.0.2.10:15443*1(mtls), 127.0.2.11:15443*1(mtls)]",
                        "P0 region2/zone2 w2 [127.0.2.10:15443*1(mtls), 127.0.2.11:15443*1(mtls)]");
    }

    @Test
    void anHttpsAutoPassthroughServerIsServedLikeATlsOne() {
        GatewayConfig.Server https = new GatewayConfig.Server(
                15443, "https", "HTTPS", List.of("*.local"),
                new GatewayConfig.ServerTls("AUTO_PASSTHROUGH", null, null, null, null, false), null);
        TestMesh mesh = twoNetworks().gateway(Rules.gateway("istio-system", "cross-network-gateway", EASTWEST, https));
        XdsResources r = generator.generate(mesh.build(), eastWestGateway("network2", List.of("network2")));
        Listener listener = r.listeners().stream()
                .filter(l -> l.getName().equals("0.0.0.0_15443"))
                .findFirst()
                .orElseThrow();
        assertThat(listener.getFilterChainsList())
                .extracting(c -> c.getFilterChainMatch().getServerNames(0))
                .containsExactly("outbound_.5000_._." + HELLO, "outbound_.5000_._.helloworld.sample.global");
        assertThat(r.routes()).noneMatch(rc -> rc.getName().startsWith("https.15443"));
        assertThat(r.warnings()).isEmpty();
    }
}

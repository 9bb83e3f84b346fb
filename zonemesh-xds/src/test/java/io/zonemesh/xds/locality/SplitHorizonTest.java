package io.zonemesh.xds.locality;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.NetworkGateway;
import io.zonemesh.model.NetworkGateways;
import io.zonemesh.xds.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** istiod's EndpointsByNetworkFilter as {@link SplitHorizon}, with the istio#56355 per-locality shape. */
class SplitHorizonTest {
    private static final NetworkGateway GW2 = new NetworkGateway("net2", "c2", "127.0.2.1", 15443);
    private static final NetworkGateway GW2B = new NetworkGateway("net2", "c2", "127.0.2.2", 15443);
    private static final NetworkGateway GW2_OTHER_CLUSTER = new NetworkGateway("net2", "c3", "127.0.3.1", 15443);

    /** A proxy on {@code network} seeing {@code view} (empty: all). */
    private static SplitHorizon.ProxyNetwork proxy(String network, String... view) {
        Set<String> visible = Set.of(view);
        return new SplitHorizon.ProxyNetwork() {
            @Override
            public boolean sees(String n) {
                return visible.isEmpty() || n.isEmpty() || visible.contains(n);
            }

            @Override
            public boolean inNetwork(String n) {
                return network.isEmpty() || n.isEmpty() || network.equals(n);
            }
        };
    }

    private static Endpoint ep(String address, String locality, String network, String cluster, boolean mtls) {
        return new Endpoint(
                Fixtures.HELLO,
                5000,
                address,
                5000,
                "pod-" + address,
                "sample",
                Locality.parse(locality),
                mtls ? Map.of(Endpoint.TLS_MODE_LABEL, Endpoint.TLS_MODE_ISTIO) : Map.of(),
                network,
                cluster,
                "",
                HealthStatus.HEALTHY,
                true,
                1);
    }

    private static List<String> describe(SplitHorizon.Result r) {
        List<String> out = new ArrayList<>();
        for (LocalityGroup g : r.groups()) {
            StringBuilder line = new StringBuilder(g.locality() + " w=" + g.weight() + ":");
            for (Endpoint e : g.endpoints()) {
                line.append(' ').append(e.address()).append(':').append(e.port()).append('*').append(e.weight());
                if (r.gatewayEndpoints().contains(e)) {
                    line.append("(gw)");
                }
            }
            out.add(line.toString());
        }
        return out;
    }

    private static SplitHorizon.Result apply(SplitHorizon.ProxyNetwork proxy, List<NetworkGateway> gws, Endpoint... eps) {
        return SplitHorizon.apply(
                LocalityGroups.of(List.of(eps)), proxy, new NetworkGateways(gws), Endpoint::istioMutualTls);
    }

    @Test
    void oneGatewayFrontingSeveralRemoteZonesAppearsOncePerZoneWithThatZonesWeight() {
        SplitHorizon.Result r = apply(
                proxy("net1"),
                List.of(GW2),
                ep("10.1.0.1", "r1/z1", "net1", "c1", true),
                ep("10.2.0.1", "r2/z1", "net2", "c2", true),
                ep("10.2.0.2", "r2/z2", "net2", "c2", true),
                ep("10.2.0.3", "r2/z2", "net2", "c2", true));
        assertThat(describe(r))
                .containsExactly(
                        "r1/z1 w=1: 10.1.0.1:5000*1",
                        "r2/z1 w=1: 127.0.2.1:15443*1(gw)",
                        "r2/z2 w=2: 127.0.2.1:15443*2(gw)");
        Endpoint gw = r.groups().get(2).endpoints().get(0);
        // AugmentLabels(nil, gw.Cluster, "", "", gw.Network): network and cluster only, no region/zone.
        assertThat(TopologyLabels.of(gw))
                .isEqualTo(Map.of(TopologyLabels.NETWORK, "net2", TopologyLabels.CLUSTER, "c2"));
        assertThat(gw.istioMutualTls()).isTrue();
    }

    @Test
    void twoGatewaysSplitEachEndpointsScaledWeightEvenlyAndLocalEndpointsAreScaledToo() {
        // lcm(2 per network, 2 per network+cluster) = 2: every weight doubles, each gateway gets 1 per endpoint.
        SplitHorizon.Result r = apply(
                proxy("net1"),
                List.of(GW2B, GW2),
                ep("10.1.0.1", "r1/z1", "net1", "c1", true),
                ep("10.2.0.1", "r2/z1", "net2", "c2", true),
                ep("10.2.0.2", "r2/z1", "net2", "c2", true),
                ep("10.2.0.3", "r2/z1", "net2", "c2", true));
        assertThat(describe(r))
                .containsExactly(
                        "r1/z1 w=2: 10.1.0.1:5000*2",
                        "r2/z1 w=6: 127.0.2.1:15443*3(gw) 127.0.2.2:15443*3(gw)");
    }

    @Test
    void gatewaysOfTheEndpointsOwnClusterArePreferredOverOtherGatewaysOfItsNetwork() {
        SplitHorizon.Result r = apply(
                proxy("net1"),
                List.of(GW2, GW2_OTHER_CLUSTER),
                ep("10.2.0.1", "r2/z1", "net2", "c2", true),
                ep("10.3.0.1", "r3/z1", "net2", "c3", true),
                ep("10.4.0.1", "r4/z1", "net2", "c4", true));
        // lcm(2 on net2, 1 on net2/c2, 1 on net2/c3) = 2; c4 has no gateway of its own: both, 1 each.
        assertThat(describe(r))
                .containsExactly(
                        "r2/z1 w=2: 127.0.2.1:15443*2(gw)",
                        "r3/z1 w=2: 127.0.3.1:15443*2(gw)",
                        "r4/z1 w=2: 127.0.2.1:15443*1(gw) 127.0.3.1:15443*1(gw)");
    }

    @Test
    void aRemoteEndpointWithoutMutualTlsIsDroppedAndAnEmptyLocalityDisappears() {
        SplitHorizon.Result r = apply(
                proxy("net1"),
                List.of(GW2),
                ep("10.1.0.1", "r1/z1", "net1", "c1", false),
                ep("10.2.0.1", "r2/z1", "net2", "c2", false),
                ep("10.2.0.2", "r2/z2", "net2", "c2", true),
                ep("10.2.0.3", "r2/z2", "net2", "c2", false));
        assertThat(describe(r))
                .containsExactly("r1/z1 w=1: 10.1.0.1:5000*1", "r2/z2 w=1: 127.0.2.1:15443*1(gw)");
    }

    @Test
    void aNetworkWithoutGatewayKeepsItsPodAddressesAsIstiodDoes() {
        SplitHorizon.Result r = apply(
                proxy("net1"),
                List.of(GW2),
                ep("10.3.0.1", "r3/z1", "net3", "c3", false),
                ep("10.2.0.1", "r2/z1", "net2", "c2", true));
        assertThat(describe(r))
                .containsExactly("r2/z1 w=1: 127.0.2.1:15443*1(gw)", "r3/z1 w=1: 10.3.0.1:5000*1");
    }

    @Test
    void withoutAnyGatewayNothingChangesAndWeightsAreNotScaled() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                ep("10.1.0.1", "r1/z1", "net1", "c1", true), ep("10.2.0.1", "r2/z1", "net2", "c2", true)));
        SplitHorizon.Result r =
                SplitHorizon.apply(groups, proxy("net1"), NetworkGateways.NONE, Endpoint::istioMutualTls);
        assertThat(r.groups()).isEqualTo(groups);
        assertThat(r.gatewayEndpoints()).isEmpty();
    }

    @Test
    void aProxyWithoutNetworkReachesEveryEndpointDirectly() {
        // istiod's InNetwork is IsSameOrEmpty: a proxy on no network is in every network.
        SplitHorizon.Result r = apply(proxy(""), List.of(GW2), ep("10.2.0.1", "r2/z1", "net2", "c2", true));
        assertThat(describe(r)).containsExactly("r2/z1 w=1: 10.2.0.1:5000*1");
    }

    @Test
    void aRequestedNetworkViewHidesOtherNetworksSoAGatewayNeverHopsToAnotherGateway() {
        SplitHorizon.Result r = apply(
                proxy("net2", "net2"),
                List.of(GW2, new NetworkGateway("net1", "c1", "127.0.1.1", 15443)),
                ep("10.1.0.1", "r1/z1", "net1", "c1", true),
                ep("10.2.0.1", "r2/z1", "net2", "c2", true),
                ep("10.9.0.1", "r9/z1", "", "", true));
        assertThat(describe(r)).containsExactly("r2/z1 w=1: 10.2.0.1:5000*1", "r9/z1 w=1: 10.9.0.1:5000*1");
    }

    @Test
    void gatewayWeightsAreLcmScaledAcrossNetworksWithDifferentGatewayCounts() {
        // net2 has 2 gateways, net3 has 3: lcm = 6; a net3 endpoint of weight 1 gives each gateway 2.
        NetworkGateway n3a = new NetworkGateway("net3", "c3", "127.0.3.1", 15443);
        NetworkGateway n3b = new NetworkGateway("net3", "c3", "127.0.3.2", 15443);
        NetworkGateway n3c = new NetworkGateway("net3", "c3", "127.0.3.3", 15443);
        SplitHorizon.Result r = apply(
                proxy("net1"),
                List.of(GW2, GW2B, n3a, n3b, n3c),
                ep("10.3.0.1", "r3/z1", "net3", "c3", true),
                ep("10.2.0.1", "r2/z1", "net2", "c2", true));
        assertThat(describe(r))
                .containsExactly(
                        "r2/z1 w=6: 127.0.2.1:15443*3(gw) 127.0.2.2:15443*3(gw)",
                        "r3/z1 w=6: 127.0.3.1:15443*2(gw) 127.0.3.2:15443*2(gw) 127.0.3.3:15443*2(gw)");
    }
}

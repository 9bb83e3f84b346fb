package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.describe;
import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Failover;
import io.zonemesh.xds.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverPriorityTest {

    @Test
    void ranksEndpointsByTheFirstMismatchingLabel() {
        Map<String, String> proxy = Map.of("a", "1", "b", "1");
        List<String> labels = List.of("a", "b");

        assertThat(FailoverPriority.priority(proxy, labels, Map.of("a", "1", "b", "1")))
                .isZero();
        assertThat(FailoverPriority.priority(proxy, labels, Map.of("a", "1", "b", "2")))
                .isEqualTo(1);
        assertThat(FailoverPriority.priority(proxy, labels, Map.of("a", "2", "b", "1")))
                .isEqualTo(2);
        assertThat(FailoverPriority.priority(proxy, labels, Map.of())).isEqualTo(2);
    }

    @Test
    void splitsOneLocalityIntoOneGroupPerPriorityWithSummedWeights() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                Fixtures.endpoint(Fixtures.HELLO, 5000, "10.0.0.1", "r/z", Map.of("v", "1"), HealthStatus.HEALTHY, 2),
                Fixtures.endpoint(Fixtures.HELLO, 5000, "10.0.0.2", "r/z", Map.of("v", "1"), HealthStatus.HEALTHY, 3),
                Fixtures.endpoint(Fixtures.HELLO, 5000, "10.0.0.3", "r/z", Map.of("v", "2"), HealthStatus.HEALTHY, 4)));

        List<LocalityGroup> out = FailoverPriority.apply(Map.of("v", "1"), List.of("v"), groups);

        assertThat(describe(out)).containsExactly("P0 r/z w5 [10.0.0.1, 10.0.0.2]", "P1 r/z w4 [10.0.0.3]");
    }

    @Test
    void keyValueEntryOverridesTheProxysValue() {
        // "version=v2" prefers v2 endpoints for every caller, whatever its own version.
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "r/z", Map.of("version", "v1")),
                endpoint("10.0.0.2", "r/z", Map.of("version", "v2"))));

        List<LocalityGroup> out = FailoverPriority.apply(Map.of("version", "v1"), List.of("version=v2"), groups);

        assertThat(describe(out)).containsExactly("P0 r/z w1 [10.0.0.2]", "P1 r/z w1 [10.0.0.1]");
        assertThat(FailoverPriority.labelKeys(List.of("version=v2", "zone"))).containsExactly("version", "zone");
    }

    @Test
    void comparesTopologyLabelsDerivedFromLocalityNodeClusterAndNetwork() {
        Map<String, String> proxy = TopologyLabels.augment(Map.of(), Locality.parse("r/z1"), "c1", "node-a", "n1");
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "r/z1", Map.of(), "n1", "c1", "node-b"),
                endpoint("10.0.0.2", "r/z1", Map.of(), "n1", "c1", "node-a"),
                endpoint("10.0.0.3", "r/z2", Map.of(), "n1", "c2", "node-c")));

        List<LocalityGroup> out = FailoverPriority.apply(
                proxy, List.of(TopologyLabels.CLUSTER, TopologyLabels.ZONE, TopologyLabels.HOSTNAME), groups);

        assertThat(describe(out))
                .containsExactly("P0 r/z1 w1 [10.0.0.2]", "P1 r/z1 w1 [10.0.0.1]", "P2 r/z2 w1 [10.0.0.3]");
    }

    @Test
    void networkIsPreferredNotRequiredWhenListedFirst() {
        // Istio 1.31+ (PR #60829): off-network endpoints are ranked by the other labels too and
        // follow the whole on-network ranking (N..2N-1) instead of sharing the lowest priority N.
        List<String> labels = List.of(TopologyLabels.NETWORK, TopologyLabels.REGION, TopologyLabels.ZONE);
        Map<String, String> proxy = TopologyLabels.augment(Map.of(), Locality.parse("r1/z1"), "", "", "net1");
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "r1/z1", Map.of(), "net1", "", ""),
                endpoint("10.0.0.2", "r1/z2", Map.of(), "net1", "", ""),
                endpoint("10.0.0.3", "r2/z1", Map.of(), "net1", "", ""),
                endpoint("10.0.1.1", "r1/z1", Map.of(), "net2", "", ""),
                endpoint("10.0.1.2", "r1/z2", Map.of(), "net2", "", ""),
                endpoint("10.0.1.3", "r2/z1", Map.of(), "net2", "", "")));

        List<LocalityGroup> out = FailoverPriority.apply(proxy, labels, groups);

        assertThat(describe(out))
                .containsExactly(
                        "P0 r1/z1 w1 [10.0.0.1]",
                        "P1 r1/z2 w1 [10.0.0.2]",
                        "P2 r2/z1 w1 [10.0.0.3]",
                        "P3 r1/z1 w1 [10.0.1.1]",
                        "P4 r1/z2 w1 [10.0.1.2]",
                        "P5 r2/z1 w1 [10.0.1.3]");
    }

    @Test
    void networkWithAnOverrideValueIsAnOrdinaryLabel() {
        // Istio applies the network-preferred rule only when the raw entry is exactly
        // topology.istio.io/network (loadbalancer.go compares failoverPriority[0], not the parsed
        // key): "topology.istio.io/network=net2" pins the network like any other key=value entry.
        Map<String, String> proxy = Map.of(TopologyLabels.NETWORK, "net1", TopologyLabels.REGION, "r1");
        List<String> labels = List.of(TopologyLabels.NETWORK + "=net2", TopologyLabels.REGION);

        assertThat(FailoverPriority.priority(
                        proxy, labels, Map.of(TopologyLabels.NETWORK, "net2", TopologyLabels.REGION, "r1")))
                .isZero();
        assertThat(FailoverPriority.priority(
                        proxy, labels, Map.of(TopologyLabels.NETWORK, "net2", TopologyLabels.REGION, "r2")))
                .isEqualTo(1);
        // Off the pinned network: the lowest priority N, not re-ranked at N + rank.
        assertThat(FailoverPriority.priority(
                        proxy, labels, Map.of(TopologyLabels.NETWORK, "net1", TopologyLabels.REGION, "r1")))
                .isEqualTo(2);
        assertThat(FailoverPriority.priority(
                        proxy, labels, Map.of(TopologyLabels.NETWORK, "net1", TopologyLabels.REGION, "r2")))
                .isEqualTo(2);
    }

    @Test
    void networkMismatchEndsTheComparisonWhenNetworkIsNotFirst() {
        Map<String, String> proxy = Map.of(TopologyLabels.REGION, "r1", TopologyLabels.NETWORK, "net1");
        List<String> labels = List.of(TopologyLabels.REGION, TopologyLabels.NETWORK);

        assertThat(FailoverPriority.priority(
                        proxy, labels, Map.of(TopologyLabels.REGION, "r1", TopologyLabels.NETWORK, "net2")))
                .isEqualTo(1);
        assertThat(FailoverPriority.priority(
                        proxy, labels, Map.of(TopologyLabels.REGION, "r2", TopologyLabels.NETWORK, "net1")))
                .isEqualTo(2);
    }

    @Test
    void composesWithRegionFailoverWhereLabelTiersDominate() {
        // failoverPriority [version] then failover region1 -> region2: priority*5 + locality priority.
        Locality proxy = Locality.parse("region1/zone1");
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "region1/zone1", Map.of("version", "v1")),
                endpoint("10.0.0.2", "region1/zone1", Map.of("version", "v2")),
                endpoint("10.0.0.3", "region2/zone1", Map.of("version", "v2")),
                endpoint("10.0.0.4", "region3/zone1", Map.of("version", "v1"))));

        List<LocalityGroup> ranked = FailoverPriority.apply(Map.of("version", "v1"), List.of("version"), groups);
        List<LocalityGroup> out = LocalityFailover.apply(proxy, List.of(new Failover("region1", "region2")), ranked);

        // v1 local 0*5+0=0, v1 region3 0*5+4=4, v2 local 1*5+0=5, v2 region2 1*5+3=8.
        assertThat(describe(out))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.0.0.1]",
                        "P1 region3/zone1 w1 [10.0.0.4]",
                        "P2 region1/zone1 w1 [10.0.0.2]",
                        "P3 region2/zone1 w1 [10.0.0.3]");
    }
}

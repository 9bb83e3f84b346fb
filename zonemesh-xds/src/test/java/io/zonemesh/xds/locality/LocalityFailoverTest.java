package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.describe;
import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Failover;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalityFailoverTest {
    private static final Locality R1_Z1 = Locality.parse("region1/zone1");

    @Test
    void lbPriorityRanksSubzoneZoneRegionAndOther() {
        Locality proxy = Locality.parse("r/z/s");
        assertThat(LocalityFailover.lbPriority(proxy, Locality.parse("r/z/s"))).isZero();
        assertThat(LocalityFailover.lbPriority(proxy, Locality.parse("r/z/s2"))).isEqualTo(1);
        assertThat(LocalityFailover.lbPriority(proxy, Locality.parse("r/z2/s"))).isEqualTo(2);
        assertThat(LocalityFailover.lbPriority(proxy, Locality.parse("r2/z/s"))).isEqualTo(3);
        assertThat(LocalityFailover.lbPriority(proxy, Locality.EMPTY)).isEqualTo(3);
    }

    @Test
    void compactsTheFailoverTaskTableToConsecutivePriorities() {
        // LOCALITY.md §1.3: conceptual 0/2/3/4 (no different-subzone endpoints) become 0/1/2/3.
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "region1/zone1"),
                endpoint("10.0.0.2", "region1/zone2"),
                endpoint("10.0.0.3", "region2/zone1"),
                endpoint("10.0.0.4", "region3/zone1")));

        List<LocalityGroup> out = LocalityFailover.apply(R1_Z1, List.of(new Failover("region1", "region2")), groups);

        assertThat(describe(out))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.0.0.1]",
                        "P1 region1/zone2 w1 [10.0.0.2]",
                        "P2 region2/zone1 w1 [10.0.0.3]",
                        "P3 region3/zone1 w1 [10.0.0.4]");
    }

    @Test
    void differentSubzoneRanksBetweenOwnSubzoneAndOtherZone() {
        List<LocalityGroup> groups = LocalityGroups.of(
                List.of(endpoint("10.0.0.1", "r/z/a"), endpoint("10.0.0.2", "r/z/b"), endpoint("10.0.0.3", "r/y/a")));

        List<LocalityGroup> out = LocalityFailover.apply(Locality.parse("r/z/a"), List.of(), groups);

        assertThat(describe(out))
                .containsExactly("P0 r/z/a w1 [10.0.0.1]", "P1 r/z/b w1 [10.0.0.2]", "P2 r/y/a w1 [10.0.0.3]");
    }

    @Test
    void otherRegionsShareOnePriorityWithoutFailoverEntryForProxyRegion() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "region1/zone1"),
                endpoint("10.0.0.2", "region2/zone1"),
                endpoint("10.0.0.3", "region3/zone1")));

        List<LocalityGroup> out = LocalityFailover.apply(R1_Z1, List.of(new Failover("region9", "region2")), groups);

        assertThat(describe(out))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.0.0.1]",
                        "P1 region2/zone1 w1 [10.0.0.2]",
                        "P1 region3/zone1 w1 [10.0.0.3]");
    }

    @Test
    void onlyTheFirstFailoverEntryForTheProxyRegionIsUsed() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.2", "region2/zone1"),
                endpoint("10.0.0.3", "region3/zone1"),
                endpoint("10.0.0.4", "region4/zone1")));

        List<LocalityGroup> out = LocalityFailover.apply(
                R1_Z1, List.of(new Failover("region1", "region3"), new Failover("region1", "region2")), groups);

        assertThat(describe(out))
                .containsExactly(
                        "P0 region3/zone1 w1 [10.0.0.3]",
                        "P1 region2/zone1 w1 [10.0.0.2]",
                        "P1 region4/zone1 w1 [10.0.0.4]");
    }

    @Test
    void proxyWithoutLocalityPrefersEndpointsWithoutLocality() {
        // Istio issue #20077: empty strings compare equal, so locality-less endpoints are "local".
        List<LocalityGroup> groups =
                LocalityGroups.of(List.of(endpoint("10.0.0.1", "region1/zone1"), endpoint("10.0.0.2", "")));

        List<LocalityGroup> out = LocalityFailover.apply(Locality.EMPTY, List.of(), groups);

        assertThat(describe(out)).containsExactly("P0  w1 [10.0.0.2]", "P1 region1/zone1 w1 [10.0.0.1]");
    }

    @Test
    void endpointsWithoutLocalityAreNeverTheFailoverTarget() {
        List<LocalityGroup> groups =
                LocalityGroups.of(List.of(endpoint("10.0.0.1", ""), endpoint("10.0.0.2", "region2/zone1")));

        List<LocalityGroup> out = LocalityFailover.apply(R1_Z1, List.of(new Failover("region1", "region2")), groups);

        assertThat(describe(out)).containsExactly("P0 region2/zone1 w1 [10.0.0.2]", "P1  w1 [10.0.0.1]");
    }

    @Test
    void composesWithEarlierPrioritiesByMultiplyingThemByFive() {
        List<LocalityGroup> groups = List.of(
                LocalityGroup.of(Locality.parse("region1/zone1"), List.of(endpoint("10.0.0.1", "region1/zone1")))
                        .withPriority(1),
                LocalityGroup.of(Locality.parse("region2/zone1"), List.of(endpoint("10.0.0.2", "region2/zone1"))));

        List<LocalityGroup> out = LocalityFailover.apply(R1_Z1, List.of(), groups);

        // region2: 0*5+3 = 3; region1: 1*5+0 = 5. An earlier tier always dominates.
        assertThat(describe(out)).containsExactly("P0 region2/zone1 w1 [10.0.0.2]", "P1 region1/zone1 w1 [10.0.0.1]");
    }
}

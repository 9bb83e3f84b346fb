package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.describe;
import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Failover;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Istio's {@code ApplyZoneAwareLoadBalancer} priorities (ZONE_AWARE.md §4). */
class ZoneAwareFailoverTest {
    private static final Locality PROXY = Locality.parse("region1/zone1");
    private static final List<LocalityGroup> GROUPS = LocalityGroups.of(List.of(
            endpoint("10.0.0.1", "region1/zone1"),
            endpoint("10.0.0.2", "region1/zone2"),
            endpoint("10.0.0.3", "region2/zone1"),
            endpoint("10.0.0.4", "region3/zone1")));

    private static ZoneAwareLbSetting setting(List<Failover> failover, List<String> failoverPriority) {
        return new ZoneAwareLbSetting(null, failover, failoverPriority, null);
    }

    @Test
    void zonesOfTheProxysRegionShareTheFirstPriorityForEnvoyToBalance() {
        List<LocalityGroup> out = ZoneAwareFailover.apply(setting(List.of(), List.of()), PROXY, Map.of(), true, GROUPS);

        assertThat(describe(out))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.0.0.1]",
                        "P0 region1/zone2 w1 [10.0.0.2]",
                        "P1 region2/zone1 w1 [10.0.0.3]",
                        "P1 region3/zone1 w1 [10.0.0.4]");
    }

    @Test
    void failoverRegionOfTheProxysRegionComesBeforeTheRest() {
        List<LocalityGroup> out = ZoneAwareFailover.apply(
                setting(List.of(new Failover("region2", "region3"), new Failover("region1", "region3")), List.of()),
                PROXY,
                Map.of(),
                true,
                GROUPS);

        assertThat(describe(out))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.0.0.1]",
                        "P0 region1/zone2 w1 [10.0.0.2]",
                        "P1 region3/zone1 w1 [10.0.0.4]",
                        "P2 region2/zone1 w1 [10.0.0.3]");
    }

    @Test
    void failoverPriorityTiersComeFirstThenRegions() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "region1/zone1", Map.of("env", "prod")),
                endpoint("10.0.0.2", "region1/zone2", Map.of("env", "test")),
                endpoint("10.0.0.3", "region2/zone1", Map.of("env", "prod"))));

        List<LocalityGroup> out =
                ZoneAwareFailover.apply(setting(List.of(), List.of("env")), PROXY, Map.of("env", "prod"), true, groups);

        // prod: 0*3+0, 0*3+2; test: 1*3+0 -> compacted 0, 1, 2.
        assertThat(describe(out))
                .containsExactly(
                        "P0 region1/zone1 w1 [10.0.0.1]",
                        "P1 region2/zone1 w1 [10.0.0.3]",
                        "P2 region1/zone2 w1 [10.0.0.2]");
    }

    @Test
    void proxyWithoutLabelsSkipsFailoverPriority() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(
                endpoint("10.0.0.1", "region1/zone1", Map.of("env", "test")),
                endpoint("10.0.0.2", "region1/zone2", Map.of("env", "prod"))));

        List<LocalityGroup> out =
                ZoneAwareFailover.apply(setting(List.of(), List.of("env")), PROXY, Map.of(), false, groups);

        assertThat(describe(out)).containsExactly("P0 region1/zone1 w1 [10.0.0.1]", "P0 region1/zone2 w1 [10.0.0.2]");
    }
}

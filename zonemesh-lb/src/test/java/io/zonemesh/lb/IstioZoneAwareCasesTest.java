package io.zonemesh.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cases of Istio's {@code TestZoneAwareLoadBalancer} integration test
 * (tests/integration/pilot/zone_aware_test.go) at the load-balancer level: the caller in
 * {@code region/zone/subzone}, its local cluster, and destinations at the priorities istiod's
 * region bucketing gives them (same region 0, other regions 1; ZONE_AWARE.md §4), with the panic
 * threshold 0 istiod sets when it sends unhealthy endpoints. Shares over 1,000 picks within
 * Istio's tolerance of 3 per 50.
 *
 * <p>Destinations are written {@code locality@priority}, a trailing {@code !} for one outlier
 * detection has ejected (modelled as unhealthy). "Zone-aware disabled" cases (no
 * {@code zoneAwareLbSetting}) keep the local cluster, as the caller keeps self-discovery, and get
 * Envoy's defaults: with fewer than 6 hosts, no zone routing.
 */
class IstioZoneAwareCasesTest {
    private static final int PICKS = 1000;

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "OneSourceEndpointOneDestinationEndpointSameLocality; r/z/s; r/z/s@0; 1; 100",
                "OneSourceEndpointTwoDestinationLocalitiesSameRegionOverflows; r/z/s; r/z/s@0 r/z2/s@0; 1; 50 50",
                "TwoSourceZonesTwoDestinationEndpointsMatchingSourceZones; r/z/s r/z2/s; r/z/s@0 r/z2/s@0; 1; 100 0",
                "ZoneAwareDisabledTwoSourceZonesTwoDestinationEndpointsMatchingSourceZones; r/z/s r/z2/s; r/z/s@0 r/z2/s@0; 6; 50 50",
                "HighMinClusterSizeDisablesZoneAwareRouting; r/z/s r/z2/s; r/z/s@0 r/z2/s@0; 10; 50 50",
                "TwoSourceZonesTwoDestinationEndpointsDifferentSourceZones; r/z/s r/z2/s; r/z3/s@0 r/z4/s@0; 1; 50 50",
                "CrossRegionEndpointIgnoredWhileSameRegionHealthy; r/z/s; r/z/s@0 nr/nz/ns@1; 1; 100 0",
                "ZoneAwareDisabledCrossRegionEndpointNotIgnored; r/z/s; r/z/s@0 nr/nz/ns@0; 6; 50 50",
                "CrossRegionEndpointIgnoredWhenSameRegionDifferentZoneAvailable; r/z/s; r/z2/s@0 nr/nz/ns@1; 1; 100 0",
                "CrossRegionEndpointUsedWhenSameRegionAbsent; r/z/s; nr/nz/ns@0; 1; 100",
                "CrossRegionEndpointUsedAfterSameRegionEjection; r/z/s; r/z/s@0! nr/nz/ns@1; 1; 0 100",
            })
    void splitsTrafficAsIstiosIntegrationTestExpects(
            String name, String local, String destinations, long minClusterSize, String expectedPercents) {
        List<HostSpec> localHosts = new ArrayList<>();
        String[] localities = local.split(" ");
        for (int i = 0; i < localities.length; i++) {
            localHosts.add(new HostSpec("10.1.0." + i, 80, localities[i], 0, 1, 1, true, ""));
        }
        List<HostSpec> hosts = new ArrayList<>();
        String[] dests = destinations.split(" ");
        for (int i = 0; i < dests.length; i++) {
            boolean ejected = dests[i].endsWith("!");
            String[] parts = dests[i].replace("!", "").split("@");
            hosts.add(new HostSpec("10.2.0." + i, 80, parts[0], Integer.parseInt(parts[1]), 1, 1, !ejected, ""));
        }
        ZoneAwareLbConfig zone = new ZoneAwareLbConfig(
                100, minClusterSize, false, false, 0, ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_NUM);
        ClusterLbConfig config = new ClusterLbConfig(
                LbPolicy.LEAST_REQUEST,
                140,
                0,
                false,
                null,
                HashConfig.ENVOY_DEFAULTS,
                zone,
                new LocalCluster("r/z/s", localHosts));
        FakeClock clock = new FakeClock();
        ClusterLoadBalancer lb = ClusterLoadBalancers.create(
                "outbound|80||zone-aware.example.com",
                config,
                hosts,
                clock,
                RandomSource.seeded(7),
                clock,
                Runnable::run);

        Map<String, Integer> counts = TestHosts.pickCountsByAddress(lb, PICKS);

        String[] expected = expectedPercents.split(" ");
        for (int i = 0; i < expected.length; i++) {
            int want = PICKS * Integer.parseInt(expected[i]) / 100;
            int tolerance = want == 0 || want == PICKS ? 0 : PICKS * 3 / 50;
            assertThat(counts.getOrDefault("10.2.0." + i, 0))
                    .as("%s: %s of %s", name, dests[i], counts)
                    .isBetween(want - tolerance, want + tolerance);
        }
    }
}

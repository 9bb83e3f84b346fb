package io.zonemesh.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Envoy's zone-aware routing, tables ported from {@code round_robin_lb_test.cc} and the worked
 * example in {@code regenerateLocalityRoutingStructures} (ZONE_AWARE.md §3). Zones are written
 * {@code A2 B1}: two hosts in zone A, one in B; {@code A0} is a zone whose only host is unhealthy
 * (an empty healthy bucket); {@code A2w100} gives the hosts weight 100.
 */
class ZoneAwareRoutingTest {
    private static final Pattern ZONE = Pattern.compile("([A-Z])(\\d+)(?:w(\\d+))?");

    /** Hosts per zone as HostSpecs in locality {@code r/<zone>/}; a count of 0 is one unhealthy host. */
    static List<HostSpec> zones(String prefix, String spec) {
        List<HostSpec> out = new ArrayList<>();
        for (String token : spec.trim().split("\\s+")) {
            Matcher m = ZONE.matcher(token);
            if (!m.matches()) {
                throw new IllegalArgumentException(token);
            }
            String zone = m.group(1);
            int count = Integer.parseInt(m.group(2));
            int weight = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            for (int i = 0; i < Math.max(1, count); i++) {
                out.add(new HostSpec(prefix + "-" + zone + "-" + i, 8080, locality(zone), 0, 1, weight, count > 0, ""));
            }
        }
        return out;
    }

    static String locality(String zone) {
        return "r/" + zone + "/";
    }

    static ZoneAwareLbConfig zoneConfig(long minClusterSize, long forceLocalZoneMinSize, boolean byWeight) {
        return new ZoneAwareLbConfig(
                100,
                minClusterSize,
                false,
                forceLocalZoneMinSize >= 0,
                Math.max(0, forceLocalZoneMinSize),
                byWeight
                        ? ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_WEIGHT
                        : ZoneAwareLbConfig.LocalityBasis.HEALTHY_HOSTS_NUM);
    }

    static ClusterLbConfig lbConfig(ZoneAwareLbConfig zone, String proxyZone, String local) {
        return new ClusterLbConfig(
                LbPolicy.ROUND_ROBIN,
                140,
                50,
                false,
                null,
                HashConfig.ENVOY_DEFAULTS,
                zone,
                new LocalCluster(locality(proxyZone), zones("local", local)));
    }

    static DefaultClusterLoadBalancer balancer(ClusterLbConfig config, List<HostSpec> hosts, RandomSource random) {
        FakeClock clock = new FakeClock();
        return (DefaultClusterLoadBalancer) ClusterLoadBalancers.create(
                "outbound|80||up.default.svc.cluster.local", config, hosts, clock, random, clock, Runnable::run);
    }

    /**
     * The routing state, local share (basis points) and cumulative residual capacity per upstream
     * zone (Envoy's bucket order: proxy's zone first if the upstream has it, then by name).
     * Force -1 means {@code force_local_zone} unset.
     */
    @ParameterizedTest(name = "[{index}] {0}: proxy in {1}, local {2}, upstream {3}")
    @CsvSource(
            delimiter = ';',
            value = {
                // test/comment;                    proxy; local;        upstream;       min; force; weight; state;
                //         local bp; residual
                "regenerate comment;                 A; A2 B2 C1;        A1 B2 C1;        1; -1; false; LOCALITY_RESIDUAL; 6250; 0 1000 1500",
                "ZoneAwareSmallCluster min 7;        A; A1 B1 C1;        A1 B1 C1;        7; -1; false; NO_LOCALITY_ROUTING; 0; ''",
                "ZoneAwareSmallCluster min 1;        A; A1 B1 C1;        A1 B1 C1;        1; -1; false; LOCALITY_DIRECT; 0; ''",
                "LargeZoneSwitchOnOff min 3;         A; A1 B1 C1;        A1 B1 C1;        3; -1; false; LOCALITY_DIRECT; 0; ''",
                "ZoneAwareRoutingSmallZone;          A; A1 B1 C1;        A1 B2 C2;        5; -1; false; LOCALITY_RESIDUAL; 6000; 0 667 1334",
                "ZoneAwareDifferentZoneSize;         B; B1 A1;           B1 A1 C1;        3; -1; false; LOCALITY_RESIDUAL; 6666; 0 0 3333",
                "ZoneAwareForceLocalityDirect;       A; A1 B1;           A1 B1 C1;        3; -1; false; LOCALITY_RESIDUAL; 6666; 0 0 3333",
                "ForceLocalityDirect min_size 2;     A; A1 B1;           A1 B1 C1;        3;  2; false; LOCALITY_RESIDUAL; 6666; 0 0 3333",
                "ForceLocalityDirect min_size 1;     A; A1 B1;           A1 B1 C1;        3;  1; false; LOCALITY_DIRECT; 0; ''",
                "ZoneAwareZonesMismatched in A;      A; A1 B1;           A1 C1;           2; -1; false; LOCALITY_DIRECT; 0; ''",
                "ZoneAwareZonesMismatched in B;      B; A1 B1;           A1 C1;           2; -1; false; LOCALITY_RESIDUAL; 0; 0 5000",
                "ZoneAwareResidualsMismatched;       A; A2 B2 C1 D1;     A1 C3 D3 E1;     8; -1; false; LOCALITY_RESIDUAL; 3750; 0 2084 4168 5418",
                "ZoneAwareNoMatchingZones;           A; A1 B1 C1;        D1 E1 F1;        3; -1; false; LOCALITY_RESIDUAL; 0; 3333 6666 9999",
                "ZoneAwareEmptyLocalities;           A; A1 C1 D1 F1;     A0 B0 C2 E1 F2 G0 H1 I0; 6; -1; false; LOCALITY_RESIDUAL; 0; 0 0 833 2499 3332 3332 4998 4998",
                "ZoneAwareUseHostWeight;             A; A2w100 B1w200;   A1w100 B1w100;   2; -1; true;  LOCALITY_DIRECT; 0; ''",
                "UseHostWeight, host-count basis;    A; A2w100 B1w200;   A1w100 B1w100;   2; -1; false; LOCALITY_RESIDUAL; 7500; 0 1667",
                "NoZoneAwareNotEnoughLocalZones;     A; A1;              A1 B1;           1; -1; false; NO_LOCALITY_ROUTING; 0; ''",
                "NotEnoughLocalZones, forced;        A; A1;              A1 B1;           1;  1; false; LOCALITY_DIRECT; 0; ''",
                "NotEnoughUpstreamZones;             A; A1 B1;           A3;              1; -1; false; NO_LOCALITY_ROUTING; 0; ''",
                "NoZoneAwareRoutingNoLocalLocality;  A; B1 C1;           A1 B1 C1;        1; -1; false; NO_LOCALITY_ROUTING; 0; ''",
                "local zone's callers all unhealthy; A; A0 B1;           A1 B1;           1; -1; false; LOCALITY_DIRECT; 0; ''",
                "3 callers and 1 server in A;        A; A3 B1;           A1 B3;           1; -1; false; LOCALITY_RESIDUAL; 3333; 0 5000",
            })
    void computesEnvoysZoneRoutingPlan(
            String test,
            String proxyZone,
            String local,
            String upstream,
            long min,
            long force,
            boolean byWeight,
            ZoneRoutingPlan.State state,
            long localBasisPoints,
            String residual) {
        ClusterLbConfig config = lbConfig(zoneConfig(min, force, byWeight), proxyZone, local);
        DefaultClusterLoadBalancer lb = balancer(config, zones("up", upstream), RandomSource.seeded(1));

        ZoneRoutingPlan plan = lb.snapshot().zoneRouting().plan();

        assertThat(plan.state()).as(test).isEqualTo(state);
        assertThat(plan.localPercentToRoute()).as(test).isEqualTo(localBasisPoints);
        long[] expected = residual.isBlank()
                ? new long[0]
                : Arrays.stream(residual.trim().split("\\s+"))
                        .mapToLong(Long::parseLong)
                        .toArray();
        assertThat(plan.residualCapacity()).as(test).containsExactly(expected);
    }

    /**
     * The shares picks end up with (ZONE_AWARE.md §3 "result"), through the whole balancer:
     * 20,000 seeded picks within one percentage point of Envoy's share.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "regenerate comment;           A; A2 B2 C1;     A1 B2 C1;    1; A=62.5 B=25 C=12.5",
                "ZoneAwareRoutingSmallZone;    A; A1 B1 C1;     A1 B2 C2;    5; A=60 B=20 C=20",
                "ZoneAwareDifferentZoneSize;   B; B1 A1;        B1 A1 C1;    3; B=66.66 A=0 C=33.34",
                "ZoneAwareZonesMismatched B;   B; A1 B1;        A1 C1;       2; A=0 C=100",
                "ZoneAwareResidualsMismatched; A; A2 B2 C1 D1;  A1 C3 D3 E1; 8; A=37.5 C=24.04 D=24.04 E=14.42",
                "ZoneAwareNoMatchingZones;     A; A1 B1 C1;     D1 E1 F1;    3; D=33.33 E=33.33 F=33.33",
                "ZoneAwareEmptyLocalities;     A; A1 C1 D1 F1;  A0 B0 C2 E1 F2 G0 H1 I0; 6; A=0 C=16.67 E=33.33 F=16.67 H=33.33",
                "3 callers and 1 server in A;  A; A3 B1;        A1 B3;       1; A=33.33 B=66.67",
            })
    void spreadsPicksAsEnvoyDoes(
            String test, String proxyZone, String local, String upstream, long min, String shares) {
        int picks = 20_000;
        ClusterLbConfig config = lbConfig(zoneConfig(min, -1, false), proxyZone, local);
        DefaultClusterLoadBalancer lb = balancer(config, zones("up", upstream), RandomSource.seeded(42));

        Map<String, Integer> counts = TestHosts.pickCountsByLocality(lb, picks);

        for (String share : shares.trim().split("\\s+")) {
            String[] kv = share.split("=");
            double actual = 100.0 * counts.getOrDefault(locality(kv[0]), 0) / picks;
            assertThat(actual)
                    .as(test + " zone " + kv[0] + " " + counts)
                    .isCloseTo(Double.parseDouble(kv[1]), within(1.0));
        }
    }
}

package io.zonemesh.lb;

import static io.zonemesh.lb.TestHosts.host;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RING_HASH and MAGLEV: Envoy's tables, the priority drawn from the hash, stability under change. */
class ConsistentHashTest {
    private final FakeClock clock = new FakeClock();

    private DefaultClusterLoadBalancer lb(LbPolicy policy, List<HostSpec> hosts) {
        return TestHosts.lb(new ClusterLbConfig(policy, 140, 0, false, null), hosts, clock, 1);
    }

    private static List<HostSpec> hosts(int count) {
        List<HostSpec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(host("10.0.0." + (i + 1), "r/z1/", 0));
        }
        return out;
    }

    private static Map<String, Integer> spread(ClusterLoadBalancer lb, int keys) {
        RandomSource random = RandomSource.seeded(7);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            counts.merge(
                    lb.chooseHost(random.nextLong(Long.MAX_VALUE) * 2 + (i & 1), Set.of())
                            .spec()
                            .address(),
                    1,
                    Integer::sum);
        }
        return counts;
    }

    @Test
    void xxHash64MatchesTheReferenceVectors() {
        assertThat(XxHash64.hash(new byte[0], 0)).isEqualTo(0xEF46DB3751D8E999L);
        assertThat(XxHash64.hash("abc".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(0x44BC2CF5AD770999L);
        assertThat(XxHash64.hash("Nobody inspects the spammish repetition".getBytes(StandardCharsets.UTF_8), 0))
                .isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @ParameterizedTest
    @EnumSource(
            value = LbPolicy.class,
            names = {"RING_HASH", "MAGLEV"})
    void theSameKeyAlwaysReachesTheSameHostEvenInAnotherBalancer(LbPolicy policy) {
        ClusterLoadBalancer first = lb(policy, hosts(5));
        ClusterLoadBalancer second = lb(policy, hosts(5));

        for (long key = 0; key < 500; key++) {
            long hash = key * 0x9E3779B97F4A7C15L;
            String chosen = first.chooseHost(hash, Set.of()).spec().key();
            assertThat(first.chooseHost(hash, Set.of()).spec().key()).isEqualTo(chosen);
            assertThat(second.chooseHost(hash, Set.of()).spec().key()).isEqualTo(chosen);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = LbPolicy.class,
            names = {"RING_HASH", "MAGLEV"})
    void spreadsKeysEvenlyOverEqualHosts(LbPolicy policy) {
        Map<String, Integer> counts = spread(lb(policy, hosts(4)), 40_000);

        assertThat(counts).hasSize(4);
        counts.values().forEach(c -> assertThat(c / 40_000.0).isCloseTo(0.25, within(0.05)));
    }

    @ParameterizedTest
    @EnumSource(
            value = LbPolicy.class,
            names = {"RING_HASH", "MAGLEV"})
    void hostWeightsScaleTheirShare(LbPolicy policy) {
        List<HostSpec> specs = List.of(
                new HostSpec("10.0.0.1", 8080, "r/z1/", 0, 1, 3, true, ""),
                new HostSpec("10.0.0.2", 8080, "r/z1/", 0, 1, 1, true, ""));

        Map<String, Integer> counts = spread(lb(policy, specs), 40_000);

        assertThat(counts.get("10.0.0.1") / 40_000.0).isCloseTo(0.75, within(0.05));
    }

    @ParameterizedTest
    @EnumSource(
            value = LbPolicy.class,
            names = {"RING_HASH", "MAGLEV"})
    void removingAHostMovesLittleMoreThanItsOwnKeys(LbPolicy policy) {
        DefaultClusterLoadBalancer lb = lb(policy, hosts(5));
        Map<Long, String> before = new HashMap<>();
        for (long key = 0; key < 2000; key++) {
            before.put(
                    key,
                    lb.chooseHost(key * 0x9E3779B97F4A7C15L, Set.of()).spec().address());
        }

        lb.update(new ClusterLbConfig(policy, 140, 0, false, null), hosts(4));

        int moved = 0;
        int ownKeys = 0;
        for (long key = 0; key < 2000; key++) {
            String was = before.get(key);
            if (was.equals("10.0.0.5")) {
                ownKeys++;
            } else if (!lb.chooseHost(key * 0x9E3779B97F4A7C15L, Set.of())
                    .spec()
                    .address()
                    .equals(was)) {
                moved++;
            }
        }
        assertThat(ownKeys).isPositive();
        // Not zero in Envoy either: the ring rescales (205 -> 342 points a host) and Maglev
        // refills the table, so some keys of staying hosts move too; far fewer than a rehash.
        assertThat(moved / 2000.0).isLessThan(0.15);
    }

    @Test
    void thePriorityComesFromTheHash() {
        // P0: 1 of 2 healthy -> 70% of the load; the other 30% of hashes land on P1.
        List<HostSpec> specs =
                List.of(host("a", "r/z1/", 0), TestHosts.unhealthy("b", "r/z1/", 0), host("c", "r/z2/", 1));
        Map<String, Integer> counts = spread(lb(LbPolicy.RING_HASH, specs), 20_000);

        assertThat(counts.get("c") / 20_000.0).isCloseTo(0.30, within(0.02));
        assertThat(counts).doesNotContainKey("b");
    }

    @Test
    void aRetryAvoidingTheHashedHostFindsAnother() {
        DefaultClusterLoadBalancer lb = lb(LbPolicy.MAGLEV, hosts(3));
        Host first = lb.chooseHost(12345, Set.of());

        Host retry = lb.chooseHost(12345, Set.of(first), Set.of(), 5);

        assertThat(retry).isNotSameAs(first);
        assertThat(lb.chooseHost(12345, Set.of(first), Set.of(), 5)).isSameAs(retry);
    }

    @Test
    void ringSizeFollowsTheLightestHostsShare() {
        List<HostSpec> specs = List.of(
                new HostSpec("10.0.0.1", 8080, "r/z1/", 0, 1, 1, true, ""),
                new HostSpec("10.0.0.2", 8080, "r/z1/", 0, 1, 3, true, ""));
        DefaultClusterLoadBalancer lb = lb(LbPolicy.RING_HASH, specs);

        ConsistentHashTable.Ring ring = (ConsistentHashTable.Ring) lb.snapshot().hashTable(0);

        // Lightest share 1/4: scale = ceil(0.25 x 1024) / 0.25 = 1024 points.
        assertThat(ring.size()).isEqualTo(1024);
    }
}

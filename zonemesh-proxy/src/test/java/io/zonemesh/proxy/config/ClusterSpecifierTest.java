package io.zonemesh.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.RandomSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSpecifierTest {

    @Test
    void weightedClustersArePickedInProportionToTheirWeights() {
        ClusterSpecifier weighted = new ClusterSpecifier.Weighted(List.of(
                new ClusterSpecifier.WeightedCluster("v1", 90), new ClusterSpecifier.WeightedCluster("v2", 10)));
        RandomSource random = RandomSource.seeded(42);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            counts.merge(weighted.pick(random), 1, Integer::sum);
        }

        assertThat(counts.get("v1")).isBetween(8_800, 9_200);
        assertThat(counts.get("v2")).isBetween(800, 1_200);
    }

    @Test
    void zeroWeightClusterIsNeverPicked() {
        ClusterSpecifier weighted = new ClusterSpecifier.Weighted(
                List.of(new ClusterSpecifier.WeightedCluster("off", 0), new ClusterSpecifier.WeightedCluster("on", 1)));
        RandomSource random = RandomSource.seeded(1);

        for (int i = 0; i < 100; i++) {
            assertThat(weighted.pick(random)).isEqualTo("on");
        }
    }

    @Test
    void rejectsWeightsThatSumToZero() {
        assertThatThrownBy(() -> new ClusterSpecifier.Weighted(List.of(new ClusterSpecifier.WeightedCluster("a", 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("total weight > 0");
    }
}

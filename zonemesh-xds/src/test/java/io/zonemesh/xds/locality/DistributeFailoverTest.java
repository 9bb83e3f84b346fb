package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.describe;
import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Distribute;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistributeFailoverTest {
    private static final List<LocalityGroup> GROUPS = LocalityGroups.of(List.of(
            endpoint("10.0.0.1", "sg/az01"),
            endpoint("10.0.0.2", "sg/az01"),
            endpoint("10.0.0.3", "sg/az02"),
            endpoint("10.0.0.4", "sg/az03"),
            endpoint("10.0.0.5", "hk/az01")));

    @Test
    void keepsListedWeightsAtPriorityZeroAndFailsOverToTheRestInDefaultOrder() {
        List<LocalityGroup> out = DistributeFailover.apply(
                Locality.parse("sg/az01"),
                List.of(new Distribute("sg/az01/*", Map.of("sg/az01/*", 70, "sg/az02/*", 30))),
                List.of(),
                GROUPS);

        assertThat(describe(out))
                .containsExactly(
                        "P0 sg/az01 w70 [10.0.0.1, 10.0.0.2]",
                        "P0 sg/az02 w30 [10.0.0.3]",
                        "P1 sg/az03 w1 [10.0.0.4]",
                        "P2 hk/az01 w1 [10.0.0.5]");
    }

    @Test
    void pinnedZoneFailsOverToOtherZonesThenRegions() {
        List<LocalityGroup> out = DistributeFailover.apply(
                Locality.parse("sg/az02"),
                List.of(new Distribute("sg/az02/*", Map.of("sg/az02/*", 100))),
                List.of(),
                GROUPS);

        assertThat(describe(out))
                .containsExactly(
                        "P0 sg/az02 w100 [10.0.0.3]",
                        "P1 sg/az01 w2 [10.0.0.1, 10.0.0.2]",
                        "P1 sg/az03 w1 [10.0.0.4]",
                        "P2 hk/az01 w1 [10.0.0.5]");
    }

    @Test
    void changesNothingWhenNoFromMatchesTheProxy() {
        List<LocalityGroup> out = DistributeFailover.apply(
                Locality.parse("hk/az01"),
                List.of(new Distribute("sg/*", Map.of("sg/az01/*", 100))),
                List.of(),
                GROUPS);

        assertThat(out).isEqualTo(GROUPS);
    }
}

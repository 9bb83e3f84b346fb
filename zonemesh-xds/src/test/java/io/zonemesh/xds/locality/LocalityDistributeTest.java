package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.describe;
import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Distribute;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalityDistributeTest {
    private static final List<LocalityGroup> US_WEST = LocalityGroups.of(List.of(
            endpoint("10.0.0.1", "us-west/zone1/a"),
            endpoint("10.0.0.2", "us-west/zone1/a"),
            endpoint("10.0.0.3", "us-west/zone1/b"),
            endpoint("10.0.0.4", "us-west/zone2/c"),
            endpoint("10.0.0.5", "us-east/zone1/a")));

    private static Distribute rule(String from, Object... to) {
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (int i = 0; i < to.length; i += 2) {
            weights.put((String) to[i], (Integer) to[i + 1]);
        }
        return new Distribute(from, weights);
    }

    @Test
    void spreadsEachShareOverMatchedLocalitiesRoundingUp() {
        // LOCALITY.md §1.6: ceil(2*80/3)=54, ceil(1*80/3)=27 and 20; us-east is listed nowhere.
        List<LocalityGroup> out = LocalityDistribute.apply(
                Locality.parse("us-west/zone1/a"),
                List.of(rule("us-west/zone1/*", "us-west/zone1/*", 80, "us-west/zone2/*", 20)),
                US_WEST);

        assertThat(describe(out))
                .containsExactly(
                        "P0 us-west/zone1/a w54 [10.0.0.1, 10.0.0.2]",
                        "P0 us-west/zone1/b w27 [10.0.0.3]",
                        "P0 us-west/zone2/c w20 [10.0.0.4]");
    }

    @Test
    void leavesWeightsUntouchedWhenNoFromMatchesTheProxy() {
        List<LocalityGroup> out = LocalityDistribute.apply(
                Locality.parse("eu/zone1/a"), List.of(rule("us-west/zone1/*", "us-west/zone1/*", 100)), US_WEST);

        assertThat(out).isEqualTo(US_WEST);
        assertThat(describe(out)).first().isEqualTo("P0 us-east/zone1/a w1 [10.0.0.5]");
    }

    @Test
    void usesOnlyTheFirstMatchingFrom() {
        List<LocalityGroup> out = LocalityDistribute.apply(
                Locality.parse("us-west/zone2/c"),
                List.of(rule("us-west/*", "us-west/zone2/*", 100), rule("us-west/zone2/c", "us-east/*", 100)),
                US_WEST);

        assertThat(describe(out)).containsExactly("P0 us-west/zone2/c w100 [10.0.0.4]");
    }

    @Test
    void endpointsWithoutLocalityMatchOnlyTheWildcard() {
        List<LocalityGroup> groups =
                LocalityGroups.of(List.of(endpoint("10.0.0.1", "us-west/zone1"), endpoint("10.0.0.2", "")));

        List<LocalityGroup> listed =
                LocalityDistribute.apply(Locality.parse("us-west/zone1"), List.of(rule("*", "us-west/*", 100)), groups);
        List<LocalityGroup> everything = LocalityDistribute.apply(
                Locality.parse("us-west/zone1"), List.of(rule("*", "us-west/*", 50, "*", 50)), groups);

        assertThat(describe(listed)).containsExactly("P0 us-west/zone1 w100 [10.0.0.1]");
        assertThat(describe(everything)).containsExactly("P0  w50 [10.0.0.2]", "P0 us-west/zone1 w50 [10.0.0.1]");
    }

    @Test
    void matchesRegionWithAnyZoneAndExactLocalities() {
        Locality loc = Locality.parse("us-west/zone1/a");
        assertThat(LocalityDistribute.matches(loc, "us-west")).isTrue();
        assertThat(LocalityDistribute.matches(loc, "us-west/*")).isTrue();
        assertThat(LocalityDistribute.matches(loc, "us-west/*/*")).isTrue();
        assertThat(LocalityDistribute.matches(loc, "us-west/zone1/a")).isTrue();
        assertThat(LocalityDistribute.matches(loc, "*")).isTrue();
        assertThat(LocalityDistribute.matches(loc, "us-west/zone2")).isFalse();
        assertThat(LocalityDistribute.matches(loc, "us-west/zone1/b")).isFalse();
        assertThat(LocalityDistribute.matches(loc, "us-east/*")).isFalse();
        assertThat(LocalityDistribute.matches(Locality.EMPTY, "us-west/*")).isFalse();
    }
}

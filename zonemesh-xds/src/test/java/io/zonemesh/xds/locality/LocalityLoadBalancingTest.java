package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.describe;
import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.xds.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalityLoadBalancingTest {
    private static final Locality PROXY = Locality.parse("r1/z1");
    private static final Map<String, String> PROXY_LABELS = Map.of("version", "v1");
    private static final List<LocalityGroup> GROUPS = LocalityGroups.of(List.of(
            endpoint("10.0.0.1", "r1/z1", Map.of("version", "v2")),
            endpoint("10.0.0.2", "r1/z2", Map.of("version", "v1")),
            endpoint("10.0.0.3", "r2/z1", Map.of("version", "v1"))));

    private static EffectiveLbSetting dr(LocalityLbSetting setting) {
        return EffectiveLbSetting.resolve(
                setting, false, Fixtures.service("helloworld", "sample", 5000), MeshSettings.DEFAULT);
    }

    @Test
    void setsNoPrioritiesWithoutOutlierDetection() {
        List<LocalityGroup> out = LocalityLoadBalancing.apply(
                dr(Fixtures.failover("r1", "r2")), false, PROXY, PROXY_LABELS, true, GROUPS);

        assertThat(out).extracting(LocalityGroup::priority).containsOnly(0);
    }

    @Test
    void setsNoPrioritiesWhenLocalityIsDisabled() {
        List<LocalityGroup> out = LocalityLoadBalancing.apply(null, true, PROXY, PROXY_LABELS, true, GROUPS);

        assertThat(out).extracting(LocalityGroup::priority).containsOnly(0);
    }

    @Test
    void appliesDefaultFailoverOnceOutlierDetectionIsSet() {
        List<LocalityGroup> out =
                LocalityLoadBalancing.apply(dr(Fixtures.enabled()), true, PROXY, PROXY_LABELS, true, GROUPS);

        assertThat(describe(out))
                .containsExactly("P0 r1/z1 w1 [10.0.0.1]", "P1 r1/z2 w1 [10.0.0.2]", "P2 r2/z1 w1 [10.0.0.3]");
    }

    @Test
    void failoverPriorityReplacesDefaultFailover() {
        List<LocalityGroup> out = LocalityLoadBalancing.apply(
                dr(Fixtures.failoverPriority("version")), true, PROXY, PROXY_LABELS, true, GROUPS);

        assertThat(describe(out))
                .containsExactly("P0 r1/z2 w1 [10.0.0.2]", "P0 r2/z1 w1 [10.0.0.3]", "P1 r1/z1 w1 [10.0.0.1]");
    }

    @Test
    void proxyWithoutLabelsSkipsFailoverPriorityButStillAppliesRegionFailover() {
        LocalityLbSetting both = new LocalityLbSetting(
                true, List.of(), List.of(new LocalityLbSetting.Failover("r1", "r2")), List.of("version"));

        List<LocalityGroup> onlyLabels = LocalityLoadBalancing.apply(
                dr(Fixtures.failoverPriority("version")), true, PROXY, Map.of(), false, GROUPS);
        List<LocalityGroup> withFailover = LocalityLoadBalancing.apply(dr(both), true, PROXY, Map.of(), false, GROUPS);

        assertThat(onlyLabels).extracting(LocalityGroup::priority).containsOnly(0);
        assertThat(describe(withFailover))
                .containsExactly("P0 r1/z1 w1 [10.0.0.1]", "P1 r1/z2 w1 [10.0.0.2]", "P2 r2/z1 w1 [10.0.0.3]");
    }

    @Test
    void trafficDistributionFailsOverWithoutOutlierDetection() {
        Map<String, String> proxyLabels = TopologyLabels.augment(Map.of(), PROXY, "", "", "");
        EffectiveLbSetting forced = new EffectiveLbSetting(
                new LocalityLbSetting(true, List.of(), List.of(), EffectiveLbSetting.PREFER_CLOSE),
                EffectiveLbSetting.Source.TRAFFIC_DISTRIBUTION,
                true,
                false);

        List<LocalityGroup> out =
                LocalityLoadBalancing.apply(forced, forced.enableFailover(false), PROXY, proxyLabels, true, GROUPS);

        assertThat(describe(out))
                .containsExactly("P0 r1/z1 w1 [10.0.0.1]", "P1 r1/z2 w1 [10.0.0.2]", "P2 r2/z1 w1 [10.0.0.3]");
    }

    @Test
    void distributeAppliesWithoutOutlierDetectionAndIgnoresFailoverPriority() {
        LocalityLbSetting setting = new LocalityLbSetting(
                true,
                List.of(new LocalityLbSetting.Distribute("r1/z1", Map.of("r1/*", 100))),
                List.of(),
                List.of("version"));

        List<LocalityGroup> out = LocalityLoadBalancing.apply(dr(setting), false, PROXY, PROXY_LABELS, true, GROUPS);

        assertThat(describe(out)).containsExactly("P0 r1/z1 w50 [10.0.0.1]", "P0 r1/z2 w50 [10.0.0.2]");
    }

    @Test
    void distributeFailoverAnnotationKeepsUnlistedLocalitiesAtLowerPriorities() {
        LocalityLbSetting setting = new LocalityLbSetting(
                true, List.of(new LocalityLbSetting.Distribute("r1/z1", Map.of("r1/z1", 100))), List.of(), List.of());
        EffectiveLbSetting annotated = EffectiveLbSetting.resolve(
                setting, true, Fixtures.service("helloworld", "sample", 5000), MeshSettings.DEFAULT);

        List<LocalityGroup> out = LocalityLoadBalancing.apply(annotated, false, PROXY, PROXY_LABELS, true, GROUPS);

        assertThat(describe(out))
                .containsExactly("P0 r1/z1 w100 [10.0.0.1]", "P1 r1/z2 w1 [10.0.0.2]", "P2 r2/z1 w1 [10.0.0.3]");
    }
}

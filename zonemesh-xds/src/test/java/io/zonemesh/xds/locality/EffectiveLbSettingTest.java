package io.zonemesh.xds.locality;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.xds.Fixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectiveLbSettingTest {
    private static final Service PLAIN = Fixtures.service("helloworld", "sample", 5000);
    private static final LocalityLbSetting DISABLED = new LocalityLbSetting(false, List.of(), List.of(), List.of());
    private static final MeshSettings MESH_DISABLED =
            new MeshSettings(DISABLED, Duration.ofSeconds(10), "cluster.local", "Kubernetes", "");

    private static Service withTrafficDistribution(String value) {
        return new Service(
                PLAIN.hostname(),
                PLAIN.namespace(),
                PLAIN.name(),
                PLAIN.ports(),
                Map.of(),
                Map.of(),
                Service.Origin.KUBERNETES,
                Service.Resolution.EDS,
                List.of(),
                value);
    }

    @Test
    void meshDefaultIsEnabledWithDefaultFailover() {
        EffectiveLbSetting s = EffectiveLbSetting.resolve(null, false, PLAIN, MeshSettings.DEFAULT);

        assertThat(s).isNotNull();
        assertThat(s.source()).isEqualTo(EffectiveLbSetting.Source.MESH);
        assertThat(s.force()).isFalse();
        assertThat(s.enableFailover(false)).isFalse();
        assertThat(s.enableFailover(true)).isTrue();
    }

    @Test
    void destinationRuleSettingReplacesMeshSettingInEntirety() {
        LocalityLbSetting dr = Fixtures.failover("r1", "r2");
        EffectiveLbSetting s =
                EffectiveLbSetting.resolve(dr, false, withTrafficDistribution("PreferClose"), MESH_DISABLED);

        assertThat(s.setting()).isSameAs(dr);
        assertThat(s.source()).isEqualTo(EffectiveLbSetting.Source.DESTINATION_RULE);
        assertThat(s.force()).isFalse();
    }

    @Test
    void destinationRuleWithEnabledUnsetCountsAsEnabled() {
        LocalityLbSetting unset = new LocalityLbSetting(null, List.of(), List.of(), List.of());

        assertThat(EffectiveLbSetting.resolve(unset, false, PLAIN, MESH_DISABLED))
                .isNotNull();
    }

    @Test
    void destinationRuleEnabledFalseTurnsLocalityOffWithoutConsultingTheRest() {
        assertThat(EffectiveLbSetting.resolve(
                        DISABLED, false, withTrafficDistribution("PreferClose"), MeshSettings.DEFAULT))
                .isNull();
    }

    @Test
    void meshEnabledFalseOrAbsentTurnsLocalityOff() {
        MeshSettings absent = new MeshSettings(null, Duration.ofSeconds(10), "cluster.local", "Kubernetes", "");

        assertThat(EffectiveLbSetting.resolve(null, false, PLAIN, MESH_DISABLED))
                .isNull();
        assertThat(EffectiveLbSetting.resolve(null, false, PLAIN, absent)).isNull();
    }

    @Test
    void trafficDistributionForcesFailoverPriorityByTopology() {
        EffectiveLbSetting close =
                EffectiveLbSetting.resolve(null, false, withTrafficDistribution("PreferClose"), MESH_DISABLED);
        EffectiveLbSetting zone = EffectiveLbSetting.resolve(
                null, false, withTrafficDistribution("PreferSameZone"), MeshSettings.DEFAULT);
        EffectiveLbSetting node = EffectiveLbSetting.resolve(
                null, false, withTrafficDistribution("PreferSameNode"), MeshSettings.DEFAULT);

        assertThat(close.force()).isTrue();
        assertThat(close.enableFailover(false)).isTrue();
        assertThat(close.source()).isEqualTo(EffectiveLbSetting.Source.TRAFFIC_DISTRIBUTION);
        assertThat(close.setting().failoverPriority())
                .containsExactly(TopologyLabels.NETWORK, TopologyLabels.REGION, TopologyLabels.ZONE);
        assertThat(zone.setting().failoverPriority()).isEqualTo(close.setting().failoverPriority());
        assertThat(node.setting().failoverPriority())
                .containsExactly(
                        TopologyLabels.NETWORK,
                        TopologyLabels.REGION,
                        TopologyLabels.ZONE,
                        TopologyLabels.SUBZONE,
                        TopologyLabels.HOSTNAME);
    }

    @Test
    void unknownTrafficDistributionFallsBackToMesh() {
        EffectiveLbSetting s =
                EffectiveLbSetting.resolve(null, false, withTrafficDistribution("Any"), MeshSettings.DEFAULT);

        assertThat(s.source()).isEqualTo(EffectiveLbSetting.Source.MESH);
    }

    @Test
    void localityWeightedOnlyWhenDistributeOrExplicitFailoverIsInEffect() {
        EffectiveLbSetting defaults =
                EffectiveLbSetting.resolve(Fixtures.enabled(), false, PLAIN, MeshSettings.DEFAULT);
        EffectiveLbSetting failover =
                EffectiveLbSetting.resolve(Fixtures.failover("r1", "r2"), false, PLAIN, MeshSettings.DEFAULT);
        EffectiveLbSetting priority =
                EffectiveLbSetting.resolve(Fixtures.failoverPriority("a"), false, PLAIN, MeshSettings.DEFAULT);
        EffectiveLbSetting distribute = EffectiveLbSetting.resolve(
                new LocalityLbSetting(
                        true,
                        List.of(new LocalityLbSetting.Distribute("r1/*", Map.of("r1/*", 100))),
                        List.of(),
                        List.of()),
                false,
                PLAIN,
                MeshSettings.DEFAULT);

        assertThat(defaults.localityWeighted(true)).isFalse();
        assertThat(failover.localityWeighted(true)).isTrue();
        assertThat(failover.localityWeighted(false)).isFalse();
        assertThat(priority.localityWeighted(true)).isTrue();
        assertThat(priority.localityWeighted(false)).isFalse();
        assertThat(distribute.localityWeighted(false)).isTrue();
    }
}

package io.zonemesh.xds.locality;

import static io.zonemesh.xds.Fixtures.endpoint;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting.Failover;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalityReasonsTest {
    private static final Locality R1_Z1 = Locality.parse("region1/zone1");

    @Test
    void recordsWhatTheAlgorithmDecidedOnlyWhileRecording() {
        Endpoint local = endpoint("10.0.0.1", "region1/zone1");
        Endpoint designated = endpoint("10.0.0.3", "region2/zone1");
        Endpoint other = endpoint("10.0.0.4", "region3/zone1");
        List<LocalityGroup> groups = LocalityGroups.of(List.of(local, designated, other));
        List<Failover> failover = List.of(new Failover("region1", "region2"));

        LocalityReasons.Recorded<List<LocalityGroup>> run =
                LocalityReasons.record(() -> LocalityFailover.apply(R1_Z1, failover, groups));

        assertThat(run.value()).isEqualTo(LocalityFailover.apply(R1_Z1, failover, groups));
        assertThat(run.reasons().endpoint(LocalityReasons.key(local.address(), local.port())))
                .containsExactly("default failover: same region, zone and subzone as the proxy (region1/zone1)");
        assertThat(run.reasons().endpoint(LocalityReasons.key(designated.address(), designated.port())))
                .containsExactly(
                        "failover {from: region1, to: region2}: the designated region, before every other region");
        assertThat(run.reasons().endpoint(LocalityReasons.key(other.address(), other.port())))
                .containsExactly("failover {from: region1, to: region2}: other region region3, after region2");
        // Outside record() the hooks are no-ops and leave nothing behind on the thread.
        assertThat(LocalityReasons.active()).isFalse();
    }

    @Test
    void theOutlierGateIsRecordedForTheCluster() {
        List<LocalityGroup> groups = LocalityGroups.of(List.of(endpoint("10.0.0.1", "region1/zone2")));
        EffectiveLbSetting setting = new EffectiveLbSetting(
                new io.zonemesh.model.istio.LocalityLbSetting(true, List.of(), List.of(), List.of()),
                EffectiveLbSetting.Source.MESH,
                false,
                false);

        LocalityReasons.Recorded<List<LocalityGroup>> run = LocalityReasons.record(
                () -> LocalityLoadBalancing.apply(setting, false, R1_Z1, java.util.Map.of(), false, groups));

        assertThat(run.reasons().cluster()).singleElement().asString().startsWith("outlier-detection gate");
        assertThat(run.value()).extracting(LocalityGroup::priority).containsExactly(0);
    }
}

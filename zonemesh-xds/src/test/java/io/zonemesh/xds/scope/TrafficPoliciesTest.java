package io.zonemesh.xds.scope;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.model.istio.ConnectionPoolSettings;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LoadBalancerSettings.SimpleLb;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.TrafficPolicy.PortTrafficPolicy;
import io.zonemesh.xds.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficPoliciesTest {
    private static final LoadBalancerSettings RANDOM = new LoadBalancerSettings(SimpleLb.RANDOM, null, null, null);
    private static final LoadBalancerSettings RR = new LoadBalancerSettings(SimpleLb.ROUND_ROBIN, null, null, null);
    private static final LoadBalancerSettings LEAST =
            new LoadBalancerSettings(SimpleLb.LEAST_REQUEST, null, null, null);
    private static final ConnectionPoolSettings POOL =
            new ConnectionPoolSettings(new ConnectionPoolSettings.Tcp(100, null, null, null, null), null);
    private static final OutlierDetection OUTLIER = Fixtures.outlier(7);

    @Test
    void subsetPartsReplaceTopLevelPartsAsAWhole() {
        TrafficPolicy top = new TrafficPolicy(RANDOM, POOL, OUTLIER, null, List.of());
        TrafficPolicy subset = new TrafficPolicy(RR, null, null, null, List.of());

        TrafficPolicy merged = TrafficPolicies.merge(top, subset, 8080);

        assertThat(merged.loadBalancer()).isEqualTo(RR);
        assertThat(merged.connectionPool()).isEqualTo(POOL);
        assertThat(merged.outlierDetection()).isEqualTo(OUTLIER);
        assertThat(merged.portLevelSettings()).isEmpty();
    }

    @Test
    void portLevelSettingsOverrideTopLevelAndSubsetForTheirPortOnly() {
        TrafficPolicy top = new TrafficPolicy(
                RANDOM, null, null, null, List.of(new PortTrafficPolicy(9080, LEAST, null, null, null)));
        TrafficPolicy subset = new TrafficPolicy(RR, null, null, null, List.of());

        assertThat(TrafficPolicies.merge(top, subset, 9080).loadBalancer()).isEqualTo(LEAST);
        assertThat(TrafficPolicies.merge(top, subset, 8080).loadBalancer()).isEqualTo(RR);
        assertThat(TrafficPolicies.merge(top, null, 8080).loadBalancer()).isEqualTo(RANDOM);
    }

    @Test
    void subsetPortLevelSettingsReplaceTopLevelOnes() {
        TrafficPolicy top = new TrafficPolicy(
                null, null, null, null, List.of(new PortTrafficPolicy(9080, LEAST, null, null, null)));
        TrafficPolicy subset =
                new TrafficPolicy(null, null, null, null, List.of(new PortTrafficPolicy(9080, null, POOL, null, null)));

        TrafficPolicy merged = TrafficPolicies.merge(top, subset, 9080);

        assertThat(merged.loadBalancer()).isNull();
        assertThat(merged.connectionPool()).isEqualTo(POOL);
    }

    @Test
    void nothingSetMergesToEmpty() {
        assertThat(TrafficPolicies.merge(null, null, 80)).isEqualTo(TrafficPolicy.EMPTY);
    }
}

package io.zonemesh.xds.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LoadBalancerSettings.ConsistentHash;
import io.zonemesh.model.istio.LoadBalancerSettings.SimpleLb;
import org.junit.jupiter.api.Test;

class LoadBalancerMapperTest {

    private static Cluster apply(LoadBalancerSettings lb, boolean grpc) {
        Cluster.Builder b = Cluster.newBuilder();
        LoadBalancerMapper.apply(b, lb, grpc);
        return b.build();
    }

    private static LoadBalancerSettings simple(SimpleLb simple) {
        return new LoadBalancerSettings(simple, null, null, null);
    }

    private static LoadBalancerSettings hash(Long ringSize, Long maglev) {
        return new LoadBalancerSettings(
                null, new ConsistentHash("x-user", null, false, null, ringSize, maglev), null, null);
    }

    @Test
    void mapsSimplePoliciesWithLeastRequestAsDefault() {
        assertThat(apply(null, false).getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(apply(simple(SimpleLb.UNSPECIFIED), false).getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(apply(simple(SimpleLb.LEAST_CONN), false).getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(apply(simple(SimpleLb.LEAST_REQUEST), false).getLbPolicy())
                .isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
        assertThat(apply(simple(SimpleLb.ROUND_ROBIN), false).getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(apply(simple(SimpleLb.RANDOM), false).getLbPolicy()).isEqualTo(Cluster.LbPolicy.RANDOM);
    }

    @Test
    void consistentHashIsRingHashWithDefaultRingSize() {
        Cluster c = apply(hash(null, null), false);

        assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RING_HASH);
        assertThat(c.getRingHashLbConfig().getMinimumRingSize().getValue()).isEqualTo(1024);
        assertThat(apply(hash(2048L, null), false)
                        .getRingHashLbConfig()
                        .getMinimumRingSize()
                        .getValue())
                .isEqualTo(2048);
    }

    @Test
    void maglevForEnvoyButRingHashForGrpcClients() {
        assertThat(apply(hash(null, 65537L), false).getLbPolicy()).isEqualTo(Cluster.LbPolicy.MAGLEV);
        assertThat(apply(hash(null, 65537L), false)
                        .getMaglevLbConfig()
                        .getTableSize()
                        .getValue())
                .isEqualTo(65537);
        assertThat(apply(hash(null, 65537L), true).getLbPolicy()).isEqualTo(Cluster.LbPolicy.RING_HASH);
    }

    @Test
    void grpcClientsGetRoundRobinInsteadOfRandom() {
        assertThat(apply(simple(SimpleLb.RANDOM), true).getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
    }

    @Test
    void warmupBecomesSlowStartWindow() {
        var lb = new LoadBalancerSettings(SimpleLb.ROUND_ROBIN, null, null, java.time.Duration.ofSeconds(30));

        assertThat(apply(lb, false)
                        .getRoundRobinLbConfig()
                        .getSlowStartConfig()
                        .getSlowStartWindow()
                        .getSeconds())
                .isEqualTo(30);
    }
}

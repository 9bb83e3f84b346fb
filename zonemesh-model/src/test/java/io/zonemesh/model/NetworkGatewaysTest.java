package io.zonemesh.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** istiod's NetworkGateways index (pilot/pkg/model/network.go). */
class NetworkGatewaysTest {
    private static NetworkGateway gw(String network, String cluster, String address) {
        return new NetworkGateway(network, cluster, address, 15443);
    }

    @Test
    void lcmCoversPerNetworkAndPerClusterCountsAndDuplicatesCountOnce() {
        NetworkGateways gws = new NetworkGateways(List.of(
                gw("n2", "c2", "10.0.0.2"),
                gw("n2", "c2", "10.0.0.1"),
                gw("n2", "c3", "10.0.0.3"),
                gw("n2", "c3", "10.0.0.3"),
                gw("n4", "c4", "10.0.0.4")));
        // per network: n2 = 3, n4 = 1; per network+cluster: 2, 1, 1 → lcm(3, 2) = 6
        assertThat(gws.scaleFactor()).isEqualTo(6);
        assertThat(gws.multiNetwork()).isTrue();
        assertThat(gws.all()).hasSize(4);
        assertThat(gws.select("n2", "c2")).containsExactly(gw("n2", "c2", "10.0.0.1"), gw("n2", "c2", "10.0.0.2"));
        assertThat(gws.select("n2", "c9")).extracting(NetworkGateway::address)
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3");
        assertThat(gws.select("n9", "c2")).isEmpty();
        assertThat(NetworkGateways.NONE.multiNetwork()).isFalse();
        assertThat(NetworkGateways.NONE.scaleFactor()).isEqualTo(1);
    }

    @Test
    void aGatewayNeedsAValidPort() {
        assertThatThrownBy(() -> new NetworkGateway("n", "c", "10.0.0.1", 0))
                .hasMessage("port: 0 (expected: 1-65535)");
    }
}

package io.zonemesh.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {

    @Test
    void sidecarNodeCarriesTheIdsLocalityAndMetadataOfXdsShapes() {
        Node node = NodeIdentity.sidecar("helloworld-v1-abc", "sample", "helloworld-v1")
                .withLabels(Map.of("app", "helloworld", "version", "v1"))
                .withLocality("us-east1", "us-east1-b", "rack-1")
                .toNode();

        assertThat(node.getId()).isEqualTo("helloworld-v1-abc.sample");
        assertThat(node.getCluster()).isEqualTo("helloworld-v1.sample");
        assertThat(node.getUserAgentName()).isEqualTo("zonemesh");
        assertThat(node.getLocality().getRegion()).isEqualTo("us-east1");
        assertThat(node.getLocality().getZone()).isEqualTo("us-east1-b");
        assertThat(node.getLocality().getSubZone()).isEqualTo("rack-1");
        var metadata = node.getMetadata().getFieldsMap();
        assertThat(metadata.get("NAMESPACE").getStringValue()).isEqualTo("sample");
        assertThat(metadata.get("NAME").getStringValue()).isEqualTo("helloworld-v1-abc");
        assertThat(metadata.get("PROXY_TYPE").getStringValue()).isEqualTo("sidecar");
        assertThat(metadata.get("LABELS")
                        .getStructValue()
                        .getFieldsMap()
                        .get("version")
                        .getStringValue())
                .isEqualTo("v1");
    }

    @Test
    void gatewaysAnnounceTheRouterProxyType() {
        Node node = NodeIdentity.sidecar("ingress-1", "istio-system", "ingress")
                .withProxyType(ProxyType.ROUTER)
                .toNode();

        assertThat(node.getMetadata().getFieldsMap().get("PROXY_TYPE").getStringValue())
                .isEqualTo("router");
    }

    @Test
    void rejectsEmptyIdentifiers() {
        assertThatThrownBy(() -> NodeIdentity.sidecar("", "ns", "owner"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("podName: \"\" (expected: non-empty)");
    }

    @Test
    void multiClusterMetadataIsSentOnlyWhenSet() {
        NodeIdentity plain = NodeIdentity.sidecar("gw-0", "istio-system", "eastwestgateway");
        assertThat(plain.toNode().getMetadata().getFieldsMap())
                .doesNotContainKeys("CLUSTER_ID", "NETWORK", "REQUESTED_NETWORK_VIEW");

        var metadata = plain.withMultiCluster("cluster2", "network2", "network2")
                .withProxyType(ProxyType.ROUTER)
                .withLocality("r", "z", "")
                .toNode()
                .getMetadata()
                .getFieldsMap();

        assertThat(metadata.get("CLUSTER_ID").getStringValue()).isEqualTo("cluster2");
        assertThat(metadata.get("NETWORK").getStringValue()).isEqualTo("network2");
        assertThat(metadata.get("REQUESTED_NETWORK_VIEW").getStringValue()).isEqualTo("network2");
    }
}

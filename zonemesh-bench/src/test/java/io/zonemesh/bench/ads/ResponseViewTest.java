package io.zonemesh.bench.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseViewTest {

    private static ResponseView parse(DiscoveryResponse response) {
        return ResponseView.MARSHALLER.parse(response.toByteString().newInput());
    }

    private static Cluster eds(String name, String serviceName) {
        return Cluster.newBuilder()
                .setName(name)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setServiceName(serviceName)
                        .setEdsConfig(ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())))
                .build();
    }

    @Test
    void readsVersionNonceTypeAndTheEdsNamesEnvoyWouldSubscribeTo() {
        DiscoveryResponse cds = DiscoveryResponse.newBuilder()
                .setVersionInfo("v1")
                .setNonce("n1")
                .setTypeUrl(XdsTypes.CDS)
                .addResources(Any.pack(eds("outbound|80||b", "outbound|80||b")))
                .addResources(Any.pack(eds("outbound|80||a", "")))
                .addResources(Any.pack(Cluster.newBuilder()
                        .setName("inbound|80||")
                        .setType(Cluster.DiscoveryType.STATIC)
                        .build()))
                .build();

        ResponseView view = parse(cds);

        assertThat(view.version()).isEqualTo("v1");
        assertThat(view.nonce()).isEqualTo("n1");
        assertThat(view.typeUrl()).isEqualTo(XdsTypes.CDS);
        assertThat(view.resourceCount()).isEqualTo(3);
        assertThat(ResourceNames.edsNames(view.resources())).containsExactly("outbound|80||a", "outbound|80||b");
    }

    @Test
    void countsButDoesNotKeepLoadAssignments() {
        DiscoveryResponse eds = DiscoveryResponse.newBuilder()
                .setVersionInfo("v2")
                .setNonce("n2")
                .setTypeUrl(XdsTypes.EDS)
                .addResources(Any.pack(
                        ClusterLoadAssignment.newBuilder().setClusterName("a").build()))
                .addResources(Any.pack(
                        ClusterLoadAssignment.newBuilder().setClusterName("b").build()))
                .build();

        ResponseView view = parse(eds);

        assertThat(view.resourceCount()).isEqualTo(2);
        assertThat(view.resources()).isEmpty();
        assertThat(view.bytes()).isEqualTo(eds.getSerializedSize());
    }

    @Test
    void findsTheRouteConfigurationsListenersNameThroughRds() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setRouteConfigName("http_proxy"))
                .build();
        HttpConnectionManager inline =
                HttpConnectionManager.newBuilder().setStatPrefix("inbound").build();
        Listener outbound = Listener.newBuilder()
                .setName("virtualOutbound")
                .addFilterChains(FilterChain.newBuilder()
                        .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(hcm))))
                .build();
        Listener inbound = Listener.newBuilder()
                .setName("virtualInbound")
                .addFilterChains(FilterChain.newBuilder()
                        .addFilters(Filter.newBuilder().setName("hcm").setTypedConfig(Any.pack(inline))))
                .build();
        DiscoveryResponse lds = DiscoveryResponse.newBuilder()
                .setTypeUrl(XdsTypes.LDS)
                .addAllResources(List.of(Any.pack(outbound), Any.pack(inbound)))
                .build();

        assertThat(ResourceNames.rdsNames(parse(lds).resources())).containsExactly("http_proxy");
    }
}

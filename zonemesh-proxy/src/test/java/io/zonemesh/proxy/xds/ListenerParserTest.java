package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.ads;
import static io.zonemesh.proxy.testing.EnvoyResources.inboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.listener;
import static io.zonemesh.proxy.testing.EnvoyResources.outboundListener;
import static io.zonemesh.proxy.testing.EnvoyResources.router;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.zonemesh.proxy.config.Direction;
import io.zonemesh.proxy.config.ListenerConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenerParserTest {

    private static String errors(Listener listener) {
        ValidationErrors errors = new ValidationErrors();
        assertThat(ListenerParser.parse(listener, Set.of(), errors.forResource("Listener", listener.getName())))
                .isNull();
        return errors.joined();
    }

    @Test
    void outboundListenerUsesRdsRouteConfigName() {
        ValidationErrors errors = new ValidationErrors();
        ListenerConfig config = ListenerParser.parse(outboundListener(), Set.of(), errors);

        assertThat(errors.messages()).isEmpty();
        assertThat(config)
                .isEqualTo(ListenerConfig.rds("virtualOutbound", Direction.OUTBOUND, "http_proxy")
                        .withAddress(new java.net.InetSocketAddress("0.0.0.0", 15001), java.util.List.of()));
    }

    @Test
    void inboundListenerCarriesItsInlineRouteTable() {
        ValidationErrors errors = new ValidationErrors();
        ListenerConfig config = ListenerParser.parse(inboundListener(5000, 9080), Set.of(), errors);

        assertThat(errors.messages()).isEmpty();
        assertThat(config.direction()).isEqualTo(Direction.INBOUND);
        assertThat(config.inlineRoutes().findVirtualHost("x:9080").name()).isEqualTo("inbound|http|9080");
        assertThat(config.inlineRoutes().findVirtualHost("x").name()).isEqualTo("inbound|http|default");
    }

    @Test
    void rejectsATcpProxyWhoseConfigIsNotATcpProxy() {
        Listener tcp = Listener.newBuilder()
                .setName("tcp")
                .addFilterChains(FilterChain.newBuilder()
                        .addFilters(Filter.newBuilder()
                                .setName("envoy.filters.network.tcp_proxy")
                                .setTypedConfig(Any.pack(Empty.getDefaultInstance()))))
                .build();

        assertThat(errors(tcp))
                .isEqualTo("Listener tcp: filter_chains[0].filters[0].typed_config: type.googleapis.com/"
                        + "google.protobuf.Empty (expected: type.googleapis.com/envoy.extensions.filters.network."
                        + "tcp_proxy.v3.TcpProxy)");
    }

    @Test
    void rejectsListenerWithoutAnyNetworkFilter() {
        Listener empty = Listener.newBuilder()
                .setName("empty")
                .addFilterChains(FilterChain.newBuilder())
                .build();

        assertThat(errors(empty))
                .isEqualTo("Listener empty: filter_chains: 1 chains without one "
                        + "(expected: a filter chain with an envoy.filters.network.http_connection_manager or "
                        + "envoy.filters.network.tcp_proxy filter)");
    }

    @Test
    void rejectsHttpFiltersThatDoNotEndWithTheRouterAndRequiredUnknownFilters() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("r"))
                .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.fault"))
                .build();

        assertThat(errors(listener("l", TrafficDirection.OUTBOUND, hcm)))
                .contains("http_filters: [envoy.filters.http.fault] (expected: a list ending with "
                        + "envoy.filters.http.router)");
        HttpConnectionManager optional = hcm.toBuilder()
                .clearHttpFilters()
                .addHttpFilters(HttpFilter.newBuilder().setName("istio.stats").setIsOptional(true))
                .addHttpFilters(router())
                .build();
        assertThat(ListenerParser.parse(
                        listener("l", TrafficDirection.OUTBOUND, optional), Set.of(), new ValidationErrors()))
                .isNotNull();
    }

    @Test
    @SuppressWarnings("deprecation") // deliberately uses deprecated fields
    void rejectsRdsWithoutNameOrOverAnotherConfigSource() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setRds(Rds.newBuilder().setConfigSource(ads().toBuilder().setPath("/x")))
                .addHttpFilters(router())
                .build();

        String errors = errors(listener("l", TrafficDirection.OUTBOUND, hcm));

        assertThat(errors)
                .contains("rds.route_config_name: \"\" (expected: non-empty)")
                .contains("rds.config_source: PATH (expected: ads {}");
    }

    @Test
    void invalidInlineRoutesFailTheListener() {
        Listener inbound = inboundListener(5000);
        HttpConnectionManager hcm;
        try {
            hcm = inbound.getFilterChains(0).getFilters(0).getTypedConfig().unpack(HttpConnectionManager.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        HttpConnectionManager broken = hcm.toBuilder()
                .setRouteConfig(hcm.getRouteConfig().toBuilder()
                        .setVirtualHosts(
                                0,
                                hcm.getRouteConfig().getVirtualHosts(0).toBuilder()
                                        .clearDomains()))
                .build();

        assertThat(errors(listener("virtualInbound", TrafficDirection.INBOUND, broken)))
                .contains("route_config.virtual_hosts[0].domains: [] (expected: at least one domain)");
    }
}

package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.ads;
import static io.zonemesh.proxy.testing.EnvoyResources.router;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.TcpChain;
import io.zonemesh.proxy.config.TcpProxyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** tcp_proxy listeners: what is served, and each thing NACKed by its field. */
class TcpProxyParserTest {
    /** What zonemesh-xds generates for an AUTO_PASSTHROUGH Gateway (its golden file). */
    private static final Path EAST_WEST_GOLDEN =
            Path.of("../zonemesh-xds/src/test/resources/golden/multinetwork/eastwest-listener.json");

    private static FilterChain.Builder chain(String sni, TcpProxy proxy) {
        return FilterChain.newBuilder()
                .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(sni))
                .addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.tcp_proxy")
                        .setTypedConfig(Any.pack(proxy)));
    }

    private static TcpProxy proxy(String cluster) {
        return TcpProxy.newBuilder().setStatPrefix(cluster).setCluster(cluster).build();
    }

    private static Listener listener(FilterChain.Builder... chains) {
        Listener.Builder listener = Listener.newBuilder().setName("tcp");
        for (FilterChain.Builder chain : chains) {
            listener.addFilterChains(chain);
        }
        return listener.build();
    }

    private static String errors(Listener listener) {
        ValidationErrors errors = new ValidationErrors();
        assertThat(ListenerParser.parse(listener, Set.of(), errors.forResource("Listener", listener.getName())))
                .isNull();
        return errors.joined();
    }

    private static ListenerConfig parse(Listener listener) {
        ValidationErrors errors = new ValidationErrors();
        ListenerConfig config = ListenerParser.parse(listener, Set.of(), errors);
        assertThat(errors.messages()).isEmpty();
        return config;
    }

    @Test
    void servesTheEastWestListenerTheControlPlaneGenerates() throws Exception {
        Listener.Builder builder = Listener.newBuilder();
        JsonFormat.parser()
                .usingTypeRegistry(
                        JsonFormat.TypeRegistry.newBuilder()
                                .add(TcpProxy.getDescriptor())
                                .add(io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector
                                        .getDescriptor())
                                .build())
                .merge(Files.readString(EAST_WEST_GOLDEN), builder);

        ListenerConfig config = parse(builder.build());

        assertThat(config.rdsName()).isNull();
        assertThat(config.address().getPort()).isEqualTo(15443);
        assertThat(config.tcp().tlsInspector())
                .as("listener_filters has the tls_inspector")
                .isTrue();
        List<TcpChain> chains = config.tcp().chains();
        assertThat(chains).hasSize(builder.getFilterChainsCount());
        TcpChain global = chains.stream()
                .filter(c -> c.serverNames().contains("outbound_.5000_._.helloworld.sample.global"))
                .findFirst()
                .orElseThrow();
        assertThat(global.tcpProxy().clusters())
                .containsExactly(
                        new TcpProxyConfig.ClusterWeight("outbound_.5000_._.helloworld.sample.svc.cluster.local", 1));
        assertThat(global.applicationProtocols()).contains("istio", "istio-peer-exchange");
        assertThat(global.tcpProxy().idleTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(global.tcpProxy().maxConnectAttempts()).isEqualTo(1);
    }

    @Test
    void readsWeightedClustersIdleTimeoutAndConnectAttempts() {
        TcpProxy weighted = TcpProxy.newBuilder()
                .setStatPrefix("split")
                .setWeightedClusters(TcpProxy.WeightedCluster.newBuilder()
                        .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                                .setName("a")
                                .setWeight(1))
                        .addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                                .setName("b")
                                .setWeight(3)))
                .setIdleTimeout(com.google.protobuf.Duration.getDefaultInstance())
                .setMaxConnectAttempts(UInt32Value.of(3))
                .build();

        TcpProxyConfig config = parse(listener(chain("x.example.com", weighted)))
                .tcp()
                .chains()
                .get(0)
                .tcpProxy();

        assertThat(config.idleTimeout()).isZero();
        assertThat(config.maxConnectAttempts()).isEqualTo(3);
        assertThat(config.pickCluster(0)).isEqualTo("a");
        assertThat(config.pickCluster(1)).isEqualTo("b");
        assertThat(config.pickCluster(3)).isEqualTo("b");
        assertThat(config.pickCluster(4)).isEqualTo("a");
    }

    @Test
    void nacksWhatItDoesNotImplementEachByField() {
        FilterChain.Builder addressed = chain("a.example.com", proxy("a"));
        addressed
                .getFilterChainMatchBuilder()
                .addSourcePrefixRanges(CidrRange.newBuilder().setAddressPrefix("10.0.0.0"));
        FilterChain.Builder terminating = chain("b.example.com", proxy("b"))
                .setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls"));
        FilterChain.Builder unsupported = chain(
                "c.example.com",
                proxy("c").toBuilder()
                        .setOnDemand(TcpProxy.OnDemand.getDefaultInstance())
                        .setMaxDownstreamConnectionDuration(
                                com.google.protobuf.Duration.newBuilder().setSeconds(1))
                        .build());
        FilterChain.Builder partialWildcard = chain("a*.example.com", proxy("d"));

        String errors = errors(listener(addressed, terminating, unsupported, partialWildcard));

        assertThat(errors)
                .contains("filter_chains[0].filter_chain_match: ")
                .contains(
                        "(expected: only destination_port, server_names, transport_protocol and application_protocols")
                .contains("filter_chains[1].transport_socket: envoy.transport_sockets.tls (expected: unset on a "
                        + "tcp_proxy chain")
                .contains("filter_chains[2].filters[0].typed_config.on_demand: set (expected: unset")
                .contains("filter_chains[2].filters[0].typed_config.max_downstream_connection_duration: set")
                .contains("filter_chains[3].filter_chain_match.server_names[0]: \"a*.example.com\" (expected: a host "
                        + "name or a *. wildcard)");
    }

    @Test
    void nacksTwoChainsWithTheSameMatch() {
        assertThat(errors(listener(chain("a.example.com", proxy("a")), chain("A.example.com", proxy("b")))))
                .isEqualTo("Listener tcp: filter_chains[1].filter_chain_match: the same match as filter_chains[0] "
                        + "([0, a.example.com, , ]) (expected: distinct matching rules per chain)");
    }

    @Test
    void nacksAListenerMixingTcpProxyAndHttpChains() {
        FilterChain.Builder http = FilterChain.newBuilder()
                .setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames("web.example.com"))
                .addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(HttpConnectionManager.newBuilder()
                                .setRds(Rds.newBuilder().setConfigSource(ads()).setRouteConfigName("r"))
                                .addHttpFilters(router())
                                .build())));

        assertThat(errors(listener(chain("a.example.com", proxy("a")), http)))
                .isEqualTo("Listener tcp: filter_chains[1].filters: [envoy.filters.network.http_connection_manager] "
                        + "(expected: a envoy.filters.network.tcp_proxy as on the listener's other chains "
                        + "(zonemesh-proxy does not mix tcp_proxy and envoy.filters.network.http_connection_manager "
                        + "chains on one listener))");
    }

    @Test
    void aDefaultChainServesWhatNoChainMatches() {
        Listener listener = listener(chain("a.example.com", proxy("a"))).toBuilder()
                .setDefaultFilterChain(chain("unused", proxy("fallback")).clearFilterChainMatch())
                .build();

        assertThat(parse(listener)
                        .tcp()
                        .defaultChain()
                        .tcpProxy()
                        .clusters()
                        .get(0)
                        .name())
                .isEqualTo("fallback");
        // Without a tls_inspector listener filter no ClientHello is awaited.
        assertThat(parse(listener).tcp().tlsInspector()).isFalse();
    }
}

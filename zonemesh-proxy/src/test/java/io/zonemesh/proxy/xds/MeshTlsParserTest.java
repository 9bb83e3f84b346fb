package io.zonemesh.proxy.xds;

import static io.zonemesh.proxy.testing.EnvoyResources.edsCluster;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.config.FilterChainConfig;
import io.zonemesh.proxy.config.ForwardClientCert;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.config.TransportSocketMatch;
import io.zonemesh.proxy.config.UpstreamTls;
import io.zonemesh.proxy.testing.EnvoyResources;
import io.zonemesh.proxy.testing.IstioMtls;
import io.zonemesh.proxy.testing.IstioMtls.Mode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Istio's mTLS xDS shapes (CONTRACT.md section 2) as the proxy parses them, and what it NACKs. */
class MeshTlsParserTest {
    private static final String SERVER_ID = "spiffe://cluster.local/ns/sample/sa/httpbin";

    private static Cluster autoMtlsCluster() {
        return IstioMtls.autoMtls(
                        edsCluster("outbound|8080||httpbin.sample.svc.cluster.local"),
                        "outbound_.8080_._.httpbin.sample.svc.cluster.local",
                        List.of(SERVER_ID))
                .build();
    }

    @Test
    void autoMtlsClusterHasTheMeshSocketForTlsModeIstioAndPlaintextOtherwise() {
        ValidationErrors errors = new ValidationErrors();
        ClusterConfig config = ClusterParser.parse(autoMtlsCluster(), errors);

        assertThat(errors.messages()).isEmpty();
        assertThat(config.tls()).isNull();
        List<TransportSocketMatch> matches = config.transportSocketMatches();
        assertThat(matches).extracting(TransportSocketMatch::name).containsExactly("tlsMode-istio", "tlsMode-disabled");
        UpstreamTls mesh = matches.get(0).tls();
        assertThat(mesh.mesh().alpnProtocols()).containsExactly("istio-peer-exchange", "istio");
        assertThat(mesh.sni()).isEqualTo("outbound_.8080_._.httpbin.sample.svc.cluster.local");
        // match_subject_alt_names: one matcher per SAN type, as Envoy expands the legacy field.
        assertThat(mesh.sanMatchers()).contains(new UpstreamTls.SanMatcher(UpstreamTls.SanType.URI, SERVER_ID));
        assertThat(matches.get(1).tls()).isNull();
        assertThat(matches.get(0).matches(Map.of("tlsMode", "istio"))).isTrue();
        assertThat(matches.get(0).matches(Map.of())).isFalse();
        assertThat(matches.get(1).matches(Map.of())).isTrue();
    }

    @Test
    void endpointMetadataPicksTheSocketPerEndpointFirstMatchWins() {
        ValidationErrors errors = new ValidationErrors();
        ClusterLoadAssignment cla = ClusterLoadAssignment.newBuilder()
                .setClusterName("c")
                .addEndpoints(LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(IstioMtls.withSidecar(EnvoyResources.endpoint("10.0.0.1", 8080)))
                        .addLbEndpoints(EnvoyResources.endpoint("10.0.0.2", 8080)))
                .build();
        EndpointAssignment assignment = EndpointParser.parse(cla, errors, "", false);
        ClusterConfig config = ClusterParser.parse(autoMtlsCluster(), errors);
        assertThat(errors.messages()).isEmpty();

        var cluster = new io.zonemesh.proxy.snapshot.ActiveCluster(
                config,
                config.lbConfig(140),
                assignment.hosts(),
                new io.zonemesh.proxy.testing.FakeClusterLoadBalancer("c", config.lbConfig(140), assignment.hosts()),
                new io.zonemesh.proxy.snapshot.CircuitBreakers(config.circuitBreakers()),
                assignment.socketMatchMetadata());
        HostSpec sidecar = assignment.hosts().get(0);
        HostSpec plain = assignment.hosts().get(1);

        assertThat(cluster.transportFor(sidecar)).isSameAs(config.transportSocketMatches().get(0).tls());
        assertThat(cluster.transportFor(plain)).isNull();
        // mTLS and plaintext connections to one address never share a pool.
        assertThat(io.zonemesh.proxy.http.PoolKey.of(config, cluster.transportFor(sidecar), "10.0.0.1", 8080))
                .isNotEqualTo(io.zonemesh.proxy.http.PoolKey.of(config, null, "10.0.0.1", 8080));
        assertThat(io.zonemesh.proxy.http.PoolKey.of(cluster, sidecar).transport()).isNotNull();
        assertThat(io.zonemesh.proxy.http.PoolKey.of(cluster, plain).transport()).isNull();
    }

    @Test
    void anSdsSecretOtherThanDefaultAndRootcaOrFromAnotherSourceIsNacked() {
        UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder();
        try {
            context.mergeFrom(IstioMtls.upstreamSocket("sni", List.of(SERVER_ID)).getTypedConfig().getValue());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        context.getCommonTlsContextBuilder()
                .setTlsCertificateSdsSecretConfigs(0, IstioMtls.sds("file-cert:/etc/certs/cert.pem"));
        context.getCommonTlsContextBuilder()
                .getCombinedValidationContextBuilder()
                .getValidationContextSdsSecretConfigBuilder()
                .setSdsConfig(ConfigSource.newBuilder().setAds(io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource.getDefaultInstance()));
        Cluster cluster = edsCluster("c")
                .setTransportSocket(TransportSocket.newBuilder()
                        .setName("envoy.transport_sockets.tls")
                        .setTypedConfig(Any.pack(context.build())))
                .build();
        ValidationErrors errors = new ValidationErrors();

        assertThat(ClusterParser.parse(cluster, errors.forResource("Cluster", "c"))).isNull();

        assertThat(errors.messages())
                .containsExactly(
                        "Cluster c: transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0]"
                                + ".name: \"file-cert:/etc/certs/cert.pem\" (expected: \"default\" (zonemesh-proxy serves"
                                + " only SDS default and ROOTCA))",
                        "Cluster c: transport_socket.typed_config.common_tls_context.combined_validation_context"
                                + ".validation_context_sds_secret_config.sds_config: ADS (expected: api_config_source "
                                + "{api_type: GRPC, grpc_services: [{envoy_grpc: {cluster_name: sds-grpc}}]} (the "
                                + "proxy's own SDS, as istio-agent's))");
    }

    @Test
    void inboundChainsAreMatchedByPortAndTransportProtocolWithXfccSettings() {
        ValidationErrors errors = new ValidationErrors();
        Listener listener = IstioMtls.inboundListener(Map.of(8080, Mode.PERMISSIVE, 9090, Mode.STRICT));

        ListenerConfig config = ListenerParser.parse(listener, Set.of(), errors);

        assertThat(errors.messages()).isEmpty();
        assertThat(config.filterChains())
                .extracting(FilterChainConfig::destinationPort, FilterChainConfig::transportProtocol, c -> c.tls() != null)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(8080, "tls", true),
                        org.assertj.core.groups.Tuple.tuple(8080, "raw_buffer", false),
                        org.assertj.core.groups.Tuple.tuple(9090, "tls", true));
        FilterChainConfig tls = config.filterChains().get(0);
        assertThat(tls.tls().requireClientCertificate()).isTrue();
        assertThat(tls.tls().mesh().alpnProtocols()).containsExactly("h2", "http/1.1");
        assertThat(tls.forwardClientCert())
                .isEqualTo(new ForwardClientCert(ForwardClientCert.Mode.APPEND_FORWARD, true, true, true));
        assertThat(tls.inlineRoutes()).isNotNull();
    }

    @Test
    void anInboundChainWithServerNamesOrWithoutAnHcmIsNacked() {
        Listener base = IstioMtls.inboundListener(Map.of(8080, Mode.STRICT));
        FilterChain chain = base.getFilterChains(0).toBuilder()
                .setFilterChainMatch(base.getFilterChains(0).getFilterChainMatch().toBuilder().addServerNames("a.example"))
                .clearFilters()
                .build();
        Listener listener = base.toBuilder().setFilterChains(0, chain).build();
        ValidationErrors errors = new ValidationErrors();

        assertThat(ListenerParser.parse(listener, Set.of(), errors.forResource("Listener", "virtualInbound")))
                .isNull();

        assertThat(errors.joined())
                .contains("Listener virtualInbound: filter_chains[0].filter_chain_match: ")
                .contains("(expected: only destination_port and transport_protocol on this listener)")
                .contains("Listener virtualInbound: filter_chains[0].filters: no envoy.filters.network.http_connection_manager"
                        + " (expected: an HTTP connection manager in every chain)");
    }

    @Test
    void transportSocketMatchValuesCompareAsProtobufValues() {
        TransportSocketMatch match = new TransportSocketMatch(
                "m", Map.of("tlsMode", ProtoValues.text(Value.newBuilder().setStringValue("istio").build())), null);
        assertThat(match.matches(Map.of("tlsMode", "istio"))).isTrue();
        assertThat(ProtoValues.text(Value.newBuilder().setNumberValue(1).build()))
                .isNotEqualTo(ProtoValues.text(Value.newBuilder().setStringValue("1").build()));
        assertThat(Struct.getDefaultInstance().getFieldsCount()).isZero();
    }
}

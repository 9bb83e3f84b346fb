package io.zonemesh.proxy.testing;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's mTLS xDS shapes as CONTRACT.md section 2 fixes them (istiod's
 * {@code ConstructSdsSecretConfig}, {@code cluster_tls.go}, the inbound listener builder), built
 * by hand for the proxy's tests.
 */
public final class IstioMtls {
    /** PeerAuthentication's effective mode of a port. */
    public enum Mode {
        STRICT,
        PERMISSIVE,
        DISABLE
    }

    private IstioMtls() {}

    /** {@code SdsSecretConfig} of {@code name} from the {@code sds-grpc} cluster. */
    @SuppressWarnings("deprecation") // set_node_on_first_message_only: Istio sets it
    public static SdsSecretConfig sds(String name) {
        return SdsSecretConfig.newBuilder()
                .setName(name)
                .setSdsConfig(ConfigSource.newBuilder()
                        .setApiConfigSource(ApiConfigSource.newBuilder()
                                .setApiType(ApiConfigSource.ApiType.GRPC)
                                .setTransportApiVersion(ApiVersion.V3)
                                .setSetNodeOnFirstMessageOnly(true)
                                .addGrpcServices(GrpcService.newBuilder()
                                        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName("sds-grpc"))))
                        .setInitialFetchTimeout(com.google.protobuf.Duration.getDefaultInstance())
                        .setResourceApiVersion(ApiVersion.V3))
                .build();
    }

    /** The ISTIO_MUTUAL socket: SDS certificate, SPIFFE SAN matchers, Istio's ALPN, the SNI. */
    @SuppressWarnings("deprecation") // match_subject_alt_names: Istio's field
    public static TransportSocket upstreamSocket(String sni, List<String> spiffeIds) {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
        for (String id : spiffeIds) {
            validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(id));
        }
        return TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder()
                        .setSni(sni)
                        .setCommonTlsContext(CommonTlsContext.newBuilder()
                                .addAllAlpnProtocols(List.of("istio-peer-exchange", "istio"))
                                .addTlsCertificateSdsSecretConfigs(sds("default"))
                                .setCombinedValidationContext(
                                        CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                                .setDefaultValidationContext(validation)
                                                .setValidationContextSdsSecretConfig(sds("ROOTCA"))))
                        .build()))
                .build();
    }

    public static TransportSocket rawBuffer() {
        return TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.raw_buffer")
                .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance()))
                .build();
    }

    /** Auto mTLS: {@code tlsMode-istio} → the mTLS socket, {@code tlsMode-disabled} → plaintext. */
    public static Cluster.Builder autoMtls(Cluster.Builder cluster, String sni, List<String> spiffeIds) {
        return cluster.addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
                        .setName("tlsMode-istio")
                        .setMatch(Struct.newBuilder()
                                .putFields("tlsMode", Value.newBuilder().setStringValue("istio").build()))
                        .setTransportSocket(upstreamSocket(sni, spiffeIds)))
                .addTransportSocketMatches(Cluster.TransportSocketMatch.newBuilder()
                        .setName("tlsMode-disabled")
                        .setMatch(Struct.getDefaultInstance())
                        .setTransportSocket(rawBuffer()));
    }

    /** An endpoint of a pod with a sidecar: {@code envoy.transport_socket_match: {tlsMode: istio}}. */
    public static LbEndpoint withSidecar(LbEndpoint endpoint) {
        return endpoint.toBuilder()
                .setMetadata(Metadata.newBuilder()
                        .putFilterMetadata(
                                "envoy.transport_socket_match",
                                Struct.newBuilder()
                                        .putFields("tlsMode", Value.newBuilder().setStringValue("istio").build())
                                        .build()))
                .build();
    }

    /** The inbound's mTLS socket: required client certificate, SDS certificate and ROOTCA. */
    public static TransportSocket downstreamSocket() {
        return TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(DownstreamTlsContext.newBuilder()
                        .setRequireClientCertificate(BoolValue.of(true))
                        .setCommonTlsContext(CommonTlsContext.newBuilder()
                                .addAllAlpnProtocols(List.of("h2", "http/1.1"))
                                .addTlsCertificateSdsSecretConfigs(sds("default"))
                                .setCombinedValidationContext(
                                        CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                                                .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                                                .setValidationContextSdsSecretConfig(sds("ROOTCA"))))
                        .build()))
                .build();
    }

    /** virtualInbound with chains per application port and mode, each routing to {@code inbound|P||}. */
    public static Listener inboundListener(Map<Integer, Mode> ports) {
        Listener.Builder listener = Listener.newBuilder()
                .setName(EnvoyResources.INBOUND)
                .setTrafficDirection(TrafficDirection.INBOUND)
                .setAddress(Address.newBuilder()
                        .setSocketAddress(SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(15006)))
                .addListenerFilters(ListenerFilter.newBuilder()
                        .setName("envoy.filters.listener.tls_inspector")
                        .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
        for (Map.Entry<Integer, Mode> port : new TreeMap<>(ports).entrySet()) {
            int p = port.getKey();
            if (port.getValue() != Mode.DISABLE) {
                listener.addFilterChains(chain(p, "tls").setTransportSocket(downstreamSocket()));
            }
            if (port.getValue() != Mode.STRICT) {
                listener.addFilterChains(chain(p, "raw_buffer"));
            }
        }
        return listener.build();
    }

    private static FilterChain.Builder chain(int port, String transport) {
        String cluster = "inbound|" + port + "||";
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("inbound_0.0.0.0_" + port)
                .setRouteConfig(RouteConfiguration.newBuilder()
                        .setName(cluster)
                        .addVirtualHosts(EnvoyResources.virtualHost("inbound|http|" + port, List.of("*"), cluster)))
                .setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD)
                .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder()
                        .setSubject(BoolValue.of(true))
                        .setDns(true)
                        .setUri(true))
                .addHttpFilters(EnvoyResources.router())
                .build();
        return FilterChain.newBuilder()
                .setName("inbound_0.0.0.0_" + port)
                .setFilterChainMatch(FilterChainMatch.newBuilder()
                        .setDestinationPort(UInt32Value.of(port))
                        .setTransportProtocol(transport))
                .addFilters(Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm)));
    }
}

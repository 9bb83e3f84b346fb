package io.zonemesh.xds.security;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/**
 * The transport sockets of Istio mutual TLS (docs/XDS_SHAPES.md "mTLS"), as istiod builds them in
 * {@code pilot/pkg/networking/core/cluster_tls.go} (upstream) and
 * {@code pilot/pkg/security/authn/utils} {@code BuildInboundTLS} (downstream): certificates and
 * trust from SDS {@code default}/{@code ROOTCA}, peer identities checked by SPIFFE URI.
 */
public final class MtlsTransportSockets {
    public static final String TLS = "envoy.transport_sockets.tls";
    public static final String RAW_BUFFER = "envoy.transport_sockets.raw_buffer";
    /** The endpoint {@code filter_metadata} key Envoy matches {@code transport_socket_matches} against. */
    public static final String MATCH_METADATA_KEY = "envoy.transport_socket_match";
    /** Istio's {@code TLSModeLabelShortname}. */
    public static final String TLS_MODE_KEY = "tlsMode";
    public static final String TLS_MODE_ISTIO = "istio";

    /** Istio's {@code ALPNInMeshWithMxc}: in-mesh peers, with metadata exchange. */
    static final List<String> ALPN_IN_MESH = List.of("istio-peer-exchange", "istio");
    /** Istio's {@code ALPNInMeshH2WithMxc}: the same for HTTP/2 clusters. */
    static final List<String> ALPN_IN_MESH_H2 = List.of("istio-peer-exchange", "istio", "h2");
    /** What the inbound side offers (Istio's {@code ALPNDownstreamWithMxc} less the peer exchange). */
    static final List<String> ALPN_DOWNSTREAM = List.of("h2", "http/1.1");

    private static final Struct ISTIO_MATCH = Struct.newBuilder()
            .putFields(TLS_MODE_KEY, Value.newBuilder().setStringValue(TLS_MODE_ISTIO).build())
            .build();

    private MtlsTransportSockets() {}

    /**
     * The client side of Istio mutual TLS toward a service, Istio's ISTIO_MUTUAL
     * {@code UpstreamTlsContext}.
     *
     * @param sni {@code outbound_.<port>_.<subset>_.<host>} unless a DestinationRule sets one
     * @param subjectAltNames the identities the server may have (sorted); empty accepts any
     *     identity the mesh roots signed
     * @param http2 the cluster speaks HTTP/2 upstream, which ALPN then offers
     */
    @SuppressWarnings("deprecation") // match_subject_alt_names: what istiod sends and the contract fixes
    public static TransportSocket upstream(String sni, List<String> subjectAltNames, boolean http2) {
        CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
        for (String san : subjectAltNames) {
            // Istio sets the deprecated match_subject_alt_names (StringToExactMatch); both sides read it.
            validation.addMatchSubjectAltNames(StringMatcher.newBuilder().setExact(san));
        }
        CommonTlsContext common = CommonTlsContext.newBuilder()
                .addAllAlpnProtocols(http2 ? ALPN_IN_MESH_H2 : ALPN_IN_MESH)
                .addTlsCertificateSdsSecretConfigs(SdsConfigs.workloadCertificate())
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(validation)
                        .setValidationContextSdsSecretConfig(SdsConfigs.rootCa()))
                .build();
        UpstreamTlsContext context =
                UpstreamTlsContext.newBuilder().setCommonTlsContext(common).setSni(sni).build();
        return TransportSocket.newBuilder().setName(TLS).setTypedConfig(Any.pack(context)).build();
    }

    /** Plaintext, Istio's {@code RawBufferTransportSocket}. */
    public static TransportSocket rawBuffer() {
        return TransportSocket.newBuilder()
                .setName(RAW_BUFFER)
                .setTypedConfig(Any.pack(RawBuffer.getDefaultInstance()))
                .build();
    }

    /**
     * Auto mutual TLS: {@code tls} to endpoints whose metadata says {@code tlsMode: istio}, plaintext
     * to the rest (Istio's {@code tlsMode-istio} and {@code tlsMode-disabled} matches).
     */
    public static List<Cluster.TransportSocketMatch> autoMtlsMatches(TransportSocket tls) {
        return List.of(
                Cluster.TransportSocketMatch.newBuilder()
                        .setName("tlsMode-" + TLS_MODE_ISTIO)
                        .setMatch(ISTIO_MATCH)
                        .setTransportSocket(tls)
                        .build(),
                Cluster.TransportSocketMatch.newBuilder()
                        .setName("tlsMode-disabled")
                        .setMatch(Struct.getDefaultInstance())
                        .setTransportSocket(rawBuffer())
                        .build());
    }

    /** The endpoint metadata that selects the {@code tlsMode-istio} match. */
    public static Struct istioMatchMetadata() {
        return ISTIO_MATCH;
    }

    /**
     * The server side: a client certificate signed by the mesh roots is required (any SPIFFE
     * identity; authorization is a later concern), the workload certificate is served.
     */
    public static TransportSocket downstream() {
        CommonTlsContext common = CommonTlsContext.newBuilder()
                .addAllAlpnProtocols(ALPN_DOWNSTREAM)
                .addTlsCertificateSdsSecretConfigs(SdsConfigs.workloadCertificate())
                .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(CertificateValidationContext.getDefaultInstance())
                        .setValidationContextSdsSecretConfig(SdsConfigs.rootCa()))
                .build();
        DownstreamTlsContext context = DownstreamTlsContext.newBuilder()
                .setCommonTlsContext(common)
                .setRequireClientCertificate(BoolValue.of(true))
                .build();
        return TransportSocket.newBuilder().setName(TLS).setTypedConfig(Any.pack(context)).build();
    }

    /** Istio's {@code BuildDNSSrvSubsetKey}: {@code outbound_.<port>_.<subset>_.<host>}. */
    public static String sni(int port, String subset, String hostname) {
        return "outbound_." + port + "_." + subset + "_." + hostname;
    }
}

package io.zonemesh.xds.cluster;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.ClientTls;
import java.util.regex.Pattern;

/**
 * DestinationRule {@code trafficPolicy.tls} (modes SIMPLE and MUTUAL, certificates from files) to the
 * cluster's {@code envoy.transport_sockets.tls} transport socket, Istio's
 * {@code applyUpstreamTLSSettings} (docs/XDS_SHAPES.md "TLS origination").
 */
public final class UpstreamTlsMapper {
    public static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private UpstreamTlsMapper() {}

    /**
     * Sets the transport socket; without an {@code sni} also Istio's {@code auto_sni} (the SNI is the
     * request's host) and, when the peer is verified without {@code subjectAltNames},
     * {@code auto_san_validation} (its certificate must name that host).
     *
     * @param tls mode SIMPLE or MUTUAL; MUTUAL with {@code clientCertificate} and {@code privateKey}
     */
    public static void apply(Cluster.Builder cluster, ClientTls tls) {
        if (tls.mode() != ClientTls.Mode.SIMPLE && tls.mode() != ClientTls.Mode.MUTUAL) {
            throw new IllegalArgumentException("mode: " + tls.mode() + " (expected: SIMPLE or MUTUAL)");
        }
        HttpProtocolOptions.Builder http = httpOptions(cluster);
        boolean h2 = http != null && http.getExplicitHttpConfig().hasHttp2ProtocolOptions();
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder();
        if (h2) {
            // The upstream must agree to HTTP/2 during the handshake (Istio: ALPNH2Only).
            common.addAlpnProtocols("h2");
        }
        if (tls.mode() == ClientTls.Mode.MUTUAL) {
            common.addTlsCertificates(TlsCertificate.newBuilder()
                    .setCertificateChain(file(tls.clientCertificate(), "clientCertificate"))
                    .setPrivateKey(file(tls.privateKey(), "privateKey")));
        }
        if (!tls.insecureSkipVerify()) {
            // Without caCertificates the peer is verified against the platform's default roots (Istio's
            // VERIFY_CERTIFICATE_AT_CLIENT); insecureSkipVerify is the only way to verify nothing.
            CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder();
            if (tls.caCertificates() != null && !tls.caCertificates().isEmpty()) {
                validation.setTrustedCa(DataSource.newBuilder().setFilename(tls.caCertificates()));
            }
            for (String san : tls.subjectAltNames()) {
                validation.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
                        .setSanType(sanType(san))
                        .setMatcher(StringMatcher.newBuilder().setExact(san)));
            }
            common.setValidationContext(validation);
        }
        UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder().setCommonTlsContext(common);
        boolean autoSni = tls.sni() == null || tls.sni().isEmpty();
        if (!autoSni) {
            context.setSni(tls.sni());
        }
        cluster.setTransportSocket(
                TransportSocket.newBuilder().setName(TLS_TRANSPORT_SOCKET).setTypedConfig(Any.pack(context.build())));
        if (autoSni) {
            if (http == null) {
                http = HttpProtocolOptions.newBuilder()
                        .setExplicitHttpConfig(HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                .setHttpProtocolOptions(Http1ProtocolOptions.getDefaultInstance()));
            }
            http.setUpstreamHttpProtocolOptions(UpstreamHttpProtocolOptions.newBuilder()
                    .setAutoSni(true)
                    .setAutoSanValidation(
                            !tls.insecureSkipVerify() && tls.subjectAltNames().isEmpty()));
            cluster.putTypedExtensionProtocolOptions(
                    ConnectionPoolMapper.HTTP_PROTOCOL_OPTIONS_KEY, Any.pack(http.build()));
        }
    }

    /** URI for SPIFFE ids, IP_ADDRESS for IP literals, DNS otherwise. */
    static SubjectAltNameMatcher.SanType sanType(String san) {
        if (san.contains("://")) {
            return SubjectAltNameMatcher.SanType.URI;
        }
        if (san.indexOf(':') >= 0 || IPV4.matcher(san).matches()) {
            return SubjectAltNameMatcher.SanType.IP_ADDRESS;
        }
        return SubjectAltNameMatcher.SanType.DNS;
    }

    private static HttpProtocolOptions.@Nullable Builder httpOptions(Cluster.Builder cluster) {
        Any any = cluster.getTypedExtensionProtocolOptionsMap().get(ConnectionPoolMapper.HTTP_PROTOCOL_OPTIONS_KEY);
        if (any == null) {
            return null;
        }
        try {
            return any.unpack(HttpProtocolOptions.class).toBuilder();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "typed_extension_protocol_options: " + any.getTypeUrl() + " (expected: HttpProtocolOptions)", e);
        }
    }

    private static DataSource file(@Nullable String path, String field) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException(field + ": " + path + " (expected: a file path for MUTUAL TLS)");
        }
        return DataSource.newBuilder().setFilename(path).build();
    }
}

package io.zonemesh.proxy.xds;

import com.google.protobuf.TextFormat;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.DownstreamTls;
import io.zonemesh.proxy.config.MeshTls;
import java.io.File;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Parses a filter chain's TLS {@code transport_socket} ({@code DownstreamTlsContext}) into a
 * server TLS context: one certificate and key from files, a trusted CA and required client
 * certificates for MUTUAL. The files are read when the update is applied (unreadable: NACK).
 * ALPN offers the configured {@code h2} and {@code http/1.1} (others are ignored); a client
 * without ALPN gets HTTP/1.1.
 */
final class DownstreamTlsParser {
    static final String TYPE_URL = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext";

    private DownstreamTlsParser() {}

    /**
     * A chain's TLS from files or from the proxy's SDS secrets (Istio's inbound mTLS:
     * certificate SDS {@code default}, validation SDS {@code ROOTCA}, an empty default
     * validation context).
     */
    static @Nullable DownstreamTls parseChain(TransportSocket socket, ValidationErrors errors, String path) {
        DownstreamTlsContext context =
                TransportSockets.unpack(socket, DownstreamTlsContext.class, TYPE_URL, errors, path);
        if (context == null) {
            return null;
        }
        boolean mutual = context.hasRequireClientCertificate()
                && context.getRequireClientCertificate().getValue();
        String source = context.toString();
        if (!SdsParser.usesSds(context.getCommonTlsContext())) {
            SslContext files = parse(context, errors, path);
            return files == null ? null : new DownstreamTls(files, null, mutual, source);
        }
        int before = errors.count();
        String common = path + ".typed_config.common_tls_context";
        CommonTlsContext tls = context.getCommonTlsContext();
        SdsParser.check(tls, errors, common);
        CertificateValidationContext validation =
                tls.getCombinedValidationContext().getDefaultValidationContext();
        if (!validation.equals(CertificateValidationContext.getDefaultInstance())) {
            // Istio's inbound leaves it empty (authorization is a later filter's job).
            errors.add(common + ".combined_validation_context.default_validation_context",
                    TextFormat.shortDebugString(validation), "{} (the inbound checks only the trust bundle)");
        }
        if (errors.count() > before) {
            return null;
        }
        return new DownstreamTls(null, new MeshTls(httpAlpn(tls)), mutual, source);
    }

    /** The configured {@code h2} and {@code http/1.1}, in order; others are ignored. */
    static List<String> httpAlpn(CommonTlsContext tls) {
        return tls.getAlpnProtocolsList().stream()
                .filter(p -> p.equals("h2") || p.equals("http/1.1"))
                .toList();
    }

    static @Nullable SslContext parse(TransportSocket socket, ValidationErrors errors, String path) {
        DownstreamTlsContext context =
                TransportSockets.unpack(socket, DownstreamTlsContext.class, TYPE_URL, errors, path);
        if (context == null) {
            return null;
        }
        if (SdsParser.usesSds(context.getCommonTlsContext())) {
            errors.add(path + ".typed_config.common_tls_context", "SDS secrets",
                    "certificates from files (SDS is supported on sidecar inbound chains only)");
            return null;
        }
        return parse(context, errors, path);
    }

    private static @Nullable SslContext parse(DownstreamTlsContext context, ValidationErrors errors, String path) {
        String common = path + ".typed_config.common_tls_context";
        CommonTlsContext tls = context.getCommonTlsContext();
        if (tls.getTlsCertificatesCount() != 1) {
            errors.add(
                    common + ".tls_certificates",
                    tls.getTlsCertificatesCount() + " certificates",
                    "exactly one certificate from files");
            return null;
        }
        int before = errors.count();
        TlsCertificate certificate = tls.getTlsCertificates(0);
        File chain = file(certificate.getCertificateChain(), errors, common + ".tls_certificates[0].certificate_chain");
        File key = file(certificate.getPrivateKey(), errors, common + ".tls_certificates[0].private_key");
        File ca = null;
        boolean mutual = context.hasRequireClientCertificate()
                && context.getRequireClientCertificate().getValue();
        if (mutual) {
            if (!tls.getValidationContext().hasTrustedCa()) {
                errors.add(
                        common + ".validation_context.trusted_ca",
                        "unset",
                        "a CA file with require_client_certificate");
            } else {
                ca = file(tls.getValidationContext().getTrustedCa(), errors, common + ".validation_context.trusted_ca");
            }
        }
        if (errors.count() > before) {
            return null;
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(chain, key).sslProvider(SslProvider.JDK);
            if (mutual) {
                builder.trustManager(ca).clientAuth(ClientAuth.REQUIRE);
            }
            List<String> alpn = httpAlpn(tls);
            if (!alpn.isEmpty()) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        alpn));
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            errors.add(
                    common + ".tls_certificates[0]",
                    "a certificate that does not load",
                    "a PEM certificate chain and PKCS#8 key (" + e.getMessage() + ")");
            return null;
        }
    }

    private static @Nullable File file(DataSource source, ValidationErrors errors, String path) {
        if (source.getSpecifierCase() != DataSource.SpecifierCase.FILENAME) {
            errors.add(path, source.getSpecifierCase(), "filename");
            return null;
        }
        File file = new File(source.getFilename());
        if (!file.canRead()) {
            errors.add(path + ".filename", ValidationErrors.quote(source.getFilename()), "a readable file");
            return null;
        }
        return file;
    }
}

package io.zonemesh.proxy.xds;

import com.google.protobuf.TextFormat;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.zonemesh.common.Nullable;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.zonemesh.proxy.config.MeshTls;
import io.zonemesh.proxy.config.UpstreamTls;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Parses a cluster's TLS {@code transport_socket} into a client TLS context, reading the
 * certificate files as the update is applied (an unreadable file NACKs the update, as Envoy
 * rejects it). Only what Istio's TLS origination emits is accepted: file data sources, exact SAN
 * matchers, ALPN for HTTP/1.1; or, for Istio's ISTIO_MUTUAL, the proxy's own SDS secrets
 * ({@link SdsParser}), whose context is built per connection from the current certificate.
 */
final class UpstreamTlsParser {
    static final String NAME = "envoy.transport_sockets.tls";
    static final String TYPE_URL = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext";

    /** ALPN a mesh (SDS) context may offer: Istio's {@code ALPNInMeshWithMxc} and {@code ALPNInMeshH2WithMxc}. */
    static final List<String> MESH_ALPN = List.of("istio-peer-exchange", "istio", "h2", "http/1.1");

    private UpstreamTlsParser() {}

    static @Nullable UpstreamTls parse(TransportSocket socket, ValidationErrors errors, String path) {
        UpstreamTlsContext context = TransportSockets.unpack(socket, UpstreamTlsContext.class, TYPE_URL, errors, path);
        if (context == null) {
            return null;
        }
        String common = path + ".typed_config.common_tls_context";
        CommonTlsContext tls = context.getCommonTlsContext();
        return SdsParser.usesSds(tls)
                ? parseMesh(context, errors, common)
                : parseFiles(context, errors, common);
    }

    /** Istio's ISTIO_MUTUAL: certificate and trust from SDS, SAN matchers in the default validation context. */
    private static @Nullable UpstreamTls parseMesh(UpstreamTlsContext context, ValidationErrors errors, String common) {
        int before = errors.count();
        CommonTlsContext tls = context.getCommonTlsContext();
        SdsParser.check(tls, errors, common);
        List<UpstreamTls.SanMatcher> sans = new ArrayList<>();
        if (tls.hasCombinedValidationContext()) {
            sanMatchers(
                    tls.getCombinedValidationContext().getDefaultValidationContext(),
                    sans,
                    errors,
                    common + ".combined_validation_context.default_validation_context");
        }
        for (String protocol : tls.getAlpnProtocolsList()) {
            if (!MESH_ALPN.contains(protocol)) {
                errors.add(common + ".alpn_protocols", ValidationErrors.quote(protocol), "one of " + MESH_ALPN);
            }
        }
        if (errors.count() > before) {
            return null;
        }
        return new UpstreamTls(
                null,
                context.getSni().isEmpty() ? null : context.getSni(),
                sans,
                TextFormat.printer().printToString(context),
                new MeshTls(tls.getAlpnProtocolsList()));
    }

    private static @Nullable UpstreamTls parseFiles(UpstreamTlsContext context, ValidationErrors errors, String common) {
        int before = errors.count();
        CommonTlsContext tls = context.getCommonTlsContext();
        // Envoy checks only the SAN matchers, never the SNI as a host name (Netty 4.2 would by default).
        SslContextBuilder builder =
                SslContextBuilder.forClient().sslProvider(SslProvider.JDK).endpointIdentificationAlgorithm(null);
        List<UpstreamTls.SanMatcher> sans = new ArrayList<>();
        if (tls.hasValidationContext()) {
            CertificateValidationContext validation = tls.getValidationContext();
            if (validation.hasTrustedCa()) {
                File ca = file(validation.getTrustedCa(), errors, common + ".validation_context.trusted_ca");
                if (ca != null) {
                    builder.trustManager(ca);
                }
            }
            sanMatchers(validation, sans, errors, common + ".validation_context");
        } else {
            // No validation context: Envoy accepts any server certificate (Istio's insecureSkipVerify).
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        if (tls.getTlsCertificatesCount() > 1) {
            errors.add(common + ".tls_certificates", "several", "at most one certificate from files");
        } else if (tls.getTlsCertificatesCount() == 1) {
            TlsCertificate certificate = tls.getTlsCertificates(0);
            File chain =
                    file(certificate.getCertificateChain(), errors, common + ".tls_certificates[0].certificate_chain");
            File key = file(certificate.getPrivateKey(), errors, common + ".tls_certificates[0].private_key");
            if (chain != null && key != null) {
                builder.keyManager(chain, key);
            }
        }
        for (String protocol : tls.getAlpnProtocolsList()) {
            if (!protocol.equals("http/1.1")) {
                errors.add(
                        common + ".alpn_protocols",
                        ValidationErrors.quote(protocol),
                        "http/1.1 (the proxy speaks HTTP/1.1 upstream)");
            }
        }
        if (tls.getAlpnProtocolsCount() > 0) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    tls.getAlpnProtocolsList()));
        }
        if (errors.count() > before) {
            return null;
        }
        try {
            return new UpstreamTls(
                    builder.build(),
                    context.getSni().isEmpty() ? null : context.getSni(),
                    sans,
                    TextFormat.printer().printToString(context));
        } catch (SSLException | IllegalArgumentException e) {
            errors.add(
                    common,
                    "certificates that do not load",
                    "readable PEM certificates and a PKCS#8 key (" + e.getMessage() + ")");
            return null;
        }
    }

    /**
     * {@code match_typed_subject_alt_names}, and the deprecated {@code match_subject_alt_names}
     * that Istio still emits: Envoy turns each of those into one matcher per SAN type (DNS, URI,
     * email, IP address; {@code CertificateValidationContextConfigImpl::getSubjectAltNameMatchers}).
     */
    @SuppressWarnings("deprecation") // match_subject_alt_names: Istio's field
    private static void sanMatchers(
            CertificateValidationContext validation,
            List<UpstreamTls.SanMatcher> sans,
            ValidationErrors errors,
            String path) {
        for (int i = 0; i < validation.getMatchTypedSubjectAltNamesCount(); i++) {
            UpstreamTls.SanMatcher san = san(
                    validation.getMatchTypedSubjectAltNames(i),
                    errors,
                    path + ".match_typed_subject_alt_names[" + i + "]");
            if (san != null) {
                sans.add(san);
            }
        }
        for (int i = 0; i < validation.getMatchSubjectAltNamesCount(); i++) {
            StringMatcher matcher = validation.getMatchSubjectAltNames(i);
            if (matcher.getMatchPatternCase() != StringMatcher.MatchPatternCase.EXACT) {
                errors.add(path + ".match_subject_alt_names[" + i + "]", matcher.getMatchPatternCase(), "exact");
                continue;
            }
            for (UpstreamTls.SanType type : UpstreamTls.SanType.values()) {
                sans.add(new UpstreamTls.SanMatcher(type, matcher.getExact()));
            }
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

    private static UpstreamTls.@Nullable SanMatcher san(
            SubjectAltNameMatcher proto, ValidationErrors errors, String path) {
        UpstreamTls.SanType type = switch (proto.getSanType()) {
            case EMAIL -> UpstreamTls.SanType.EMAIL;
            case DNS -> UpstreamTls.SanType.DNS;
            case URI -> UpstreamTls.SanType.URI;
            case IP_ADDRESS -> UpstreamTls.SanType.IP_ADDRESS;
            default -> null;
        };
        if (type == null) {
            errors.add(path + ".san_type", proto.getSanType(), "EMAIL, DNS, URI or IP_ADDRESS");
            return null;
        }
        if (proto.getMatcher().getMatchPatternCase()
                != io.envoyproxy.envoy.type.matcher.v3.StringMatcher.MatchPatternCase.EXACT) {
            errors.add(path + ".matcher", proto.getMatcher().getMatchPatternCase(), "exact");
            return null;
        }
        return new UpstreamTls.SanMatcher(type, proto.getMatcher().getExact());
    }
}

package io.zonemesh.proxy.xds;

import com.google.protobuf.TextFormat;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.zonemesh.common.Nullable;
import io.zonemesh.proxy.config.DownstreamTls;
import io.zonemesh.proxy.config.FilterChainConfig;
import io.zonemesh.proxy.config.ForwardClientCert;
import io.zonemesh.proxy.config.RouteTable;
import java.util.Set;

/**
 * One filter chain of a listener whose chains are matched by destination port and transport
 * protocol (Istio's virtualInbound with PeerAuthentication): its match, its transport socket
 * (TLS, from files or SDS, or {@code raw_buffer}) and its HTTP connection manager's routes and
 * client-certificate forwarding.
 */
final class InboundChainParser {
    private static final Set<String> TRANSPORT_PROTOCOLS = Set.of("", "tls", "raw_buffer");

    private InboundChainParser() {}

    // A part is null only after its parse recorded an error; the method returns before building then.
    @SuppressWarnings("NullAway")
    static @Nullable FilterChainConfig parse(
            FilterChain chain, Set<String> knownClusters, ValidationErrors errors, String path) {
        int before = errors.count();
        FilterChainMatch match = chain.getFilterChainMatch();
        int port = 0;
        if (match.hasDestinationPort()) {
            port = match.getDestinationPort().getValue();
            if (port < 1 || port > 65535) {
                errors.add(path + ".filter_chain_match.destination_port", port, "1..65535");
            }
        }
        if (!TRANSPORT_PROTOCOLS.contains(match.getTransportProtocol())) {
            errors.add(
                    path + ".filter_chain_match.transport_protocol",
                    ValidationErrors.quote(match.getTransportProtocol()),
                    "\"tls\", \"raw_buffer\" or unset (what tls_inspector detects)");
        }
        if (match.getServerNamesCount() > 0
                || match.getApplicationProtocolsCount() > 0
                || match.getPrefixRangesCount() > 0
                || match.getSourcePrefixRangesCount() > 0
                || match.getSourcePortsCount() > 0
                || match.getDirectSourcePrefixRangesCount() > 0) {
            errors.add(
                    path + ".filter_chain_match",
                    TextFormat.shortDebugString(match),
                    "only destination_port and transport_protocol on this listener");
        }
        DownstreamTls tls = null;
        if (chain.hasTransportSocket() && !isRawBuffer(chain)) {
            tls = DownstreamTlsParser.parseChain(chain.getTransportSocket(), errors, path + ".transport_socket");
        }
        HttpConnectionManager hcm = null;
        String hcmPath = path + ".filters";
        for (int j = 0; j < chain.getFiltersCount() && hcm == null; j++) {
            if (ListenerParser.isHcm(chain.getFilters(j))) {
                hcmPath = path + ".filters[" + j + "]";
                hcm = ListenerParser.unpackHcm(chain.getFilters(j), errors, hcmPath);
            }
        }
        if (hcm == null) {
            if (chain.getFiltersList().stream().noneMatch(ListenerParser::isHcm)) {
                errors.add(hcmPath, "no " + ListenerParser.HCM_NAME, "an HTTP connection manager in every chain");
            }
            return null;
        }
        hcmPath += ".typed_config";
        ListenerParser.checkHttpFilters(hcm.getHttpFiltersList(), errors, hcmPath + ".http_filters");
        String rds = null;
        RouteTable inline = null;
        switch (hcm.getRouteSpecifierCase()) {
            case RDS -> {
                rds = hcm.getRds().getRouteConfigName();
                if (rds.isEmpty()
                        || hcm.getRds().getConfigSource().getConfigSourceSpecifierCase()
                                != ConfigSource.ConfigSourceSpecifierCase.ADS) {
                    errors.add(hcmPath + ".rds", TextFormat.shortDebugString(hcm.getRds()), "a route_config_name over ads {}");
                }
            }
            case ROUTE_CONFIG -> inline = RouteConfigParser.parse(
                    hcm.getRouteConfig(), knownClusters, errors, hcmPath + ".route_config.");
            default -> errors.add(hcmPath, hcm.getRouteSpecifierCase(), "rds or route_config");
        }
        ForwardClientCert xfcc = forwardClientCert(hcm, errors, hcmPath);
        if (errors.count() > before) {
            return null;
        }
        return new FilterChainConfig(chain.getName(), port, match.getTransportProtocol(), tls, rds, inline, xfcc);
    }

    private static boolean isRawBuffer(FilterChain chain) {
        return chain.getTransportSocket().getName().equals(ClusterParser.RAW_BUFFER)
                || chain.getTransportSocket().getTypedConfig().getTypeUrl().equals(ClusterParser.RAW_BUFFER_TYPE_URL);
    }

    /** {@code forward_client_cert_details} (default SANITIZE) and the details Istio sets. */
    private static @Nullable ForwardClientCert forwardClientCert(
            HttpConnectionManager hcm, ValidationErrors errors, String path) {
        ForwardClientCert.Mode mode = switch (hcm.getForwardClientCertDetails()) {
            case SANITIZE -> ForwardClientCert.Mode.SANITIZE;
            case FORWARD_ONLY -> ForwardClientCert.Mode.FORWARD_ONLY;
            case APPEND_FORWARD -> ForwardClientCert.Mode.APPEND_FORWARD;
            case SANITIZE_SET -> ForwardClientCert.Mode.SANITIZE_SET;
            case ALWAYS_FORWARD_ONLY -> ForwardClientCert.Mode.ALWAYS_FORWARD_ONLY;
            default -> null;
        };
        if (mode == null) {
            errors.add(path + ".forward_client_cert_details", hcm.getForwardClientCertDetails(), "a known mode");
            return null;
        }
        HttpConnectionManager.SetCurrentClientCertDetails details = hcm.getSetCurrentClientCertDetails();
        if (details.getCert() || details.getChain()) {
            errors.add(
                    path + ".set_current_client_cert_details",
                    TextFormat.shortDebugString(details),
                    "subject, uri and dns only (Cert and Chain are not supported by zonemesh-proxy)");
        }
        return new ForwardClientCert(
                mode, details.hasSubject() && details.getSubject().getValue(), details.getUri(), details.getDns());
    }
}

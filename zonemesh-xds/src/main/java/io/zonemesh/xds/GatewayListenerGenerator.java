package io.zonemesh.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.GatewayConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * LDS for gateway proxies: one Listener {@code 0.0.0.0_<port>} per Gateway server port, Istio's
 * {@code buildGatewayListeners} (docs/XDS_SHAPES.md "Gateway listeners").
 */
final class GatewayListenerGenerator {
    static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    static final String TLS_TRANSPORT_SOCKET = "envoy.transport_sockets.tls";
    /** Istio's ALPN for HTTPS gateway servers: HTTP/2 preferred, HTTP/1.1 accepted. */
    static final List<String> ALPN_HTTP = List.of("h2", "http/1.1");

    private GatewayListenerGenerator() {}

    static List<Listener> generate(List<GatewayServers.Port> ports) {
        return generate(null, ports);
    }

    /** With {@code scope}: AUTO_PASSTHROUGH servers get their chains ({@link AutoPassthrough}). */
    static List<Listener> generate(@Nullable OutboundScope scope, List<GatewayServers.Port> ports) {
        List<Listener> out = new ArrayList<>();
        for (GatewayServers.Port port : ports) {
            String name = "0.0.0.0_" + port.number();
            Listener.Builder listener = Listener.newBuilder()
                    .setName(name)
                    .setAddress(ListenerGenerator.anyAddress(port.number()))
                    .setTrafficDirection(TrafficDirection.OUTBOUND);
            String statPrefix = "outbound_" + name;
            if (!port.https()) {
                // Every plain HTTP server of the port shares http.<port>.
                listener.addFilterChains(FilterChain.newBuilder()
                        .addFilters(ListenerGenerator.hcmFilter(
                                hcm(statPrefix, port.servers().get(0).routeName()))));
            } else {
                listener.addListenerFilters(tlsInspector());
                for (GatewayServers.Bound b : port.servers()) {
                    if (!b.passthrough()) {
                        listener.addFilterChains(httpsChain(b, statPrefix));
                    }
                }
                if (scope != null) {
                    listener.addAllFilterChains(AutoPassthrough.chains(scope, port.servers()));
                }
            }
            out.add(listener.build());
        }
        return out;
    }

    /** {@code envoy.filters.listener.tls_inspector}: reads SNI, ALPN and whether the client speaks TLS. */
    static ListenerFilter tlsInspector() {
        return ListenerFilter.newBuilder()
                .setName(TLS_INSPECTOR)
                .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance()))
                .build();
    }

    private static FilterChain httpsChain(GatewayServers.Bound b, String defaultStatPrefix) {
        String statPrefix = b.server().name() == null || b.server().name().isEmpty()
                ? defaultStatPrefix
                : b.server().name();
        FilterChain.Builder chain = FilterChain.newBuilder()
                .setTransportSocket(TransportSocket.newBuilder()
                        .setName(TLS_TRANSPORT_SOCKET)
                        .setTypedConfig(Any.pack(
                                downstreamTls(Objects.requireNonNull(b.server().tls(), "an HTTPS server has TLS")))))
                .addFilters(ListenerGenerator.hcmFilter(hcm(statPrefix, b.routeName())));
        List<String> sni = sniHosts(b.server().hosts());
        if (!sni.isEmpty()) {
            chain.setFilterChainMatch(FilterChainMatch.newBuilder().addAllServerNames(sni));
        }
        return chain.build();
    }

    /**
     * Istio's {@code getSNIHostsForServer}: the hosts without namespace, sorted; none (match any SNI)
     * when one is {@code *}, which Envoy does not accept as a server name.
     */
    static List<String> sniHosts(List<String> hosts) {
        TreeSet<String> out = new TreeSet<>();
        for (String h : hosts) {
            String host = h.substring(h.indexOf('/') + 1);
            if (host.equals("*")) {
                return List.of();
            }
            out.add(host);
        }
        return List.copyOf(out);
    }

    /**
     * Certificate and key from files; MUTUAL also verifies client certificates against
     * {@code caCertificates}. TLS 1.2 at least, Istio's gateway default.
     */
    static DownstreamTlsContext downstreamTls(GatewayConfig.ServerTls tls) {
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder()
                .setTlsParams(
                        TlsParameters.newBuilder().setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_2))
                .addTlsCertificates(TlsCertificate.newBuilder()
                        .setCertificateChain(DataSource.newBuilder().setFilename(tls.serverCertificate()))
                        .setPrivateKey(DataSource.newBuilder().setFilename(tls.privateKey())))
                .addAllAlpnProtocols(ALPN_HTTP);
        DownstreamTlsContext.Builder out = DownstreamTlsContext.newBuilder();
        if (tls.mode().equalsIgnoreCase("MUTUAL")) {
            common.setValidationContext(CertificateValidationContext.newBuilder()
                    .setTrustedCa(DataSource.newBuilder().setFilename(tls.caCertificates())));
            out.setRequireClientCertificate(BoolValue.of(true));
        }
        return out.setCommonTlsContext(common).build();
    }

    /** Routes over ADS, the client address from the connection (a gateway is the edge), fault then router. */
    private static HttpConnectionManager hcm(String statPrefix, String routeName) {
        return HttpConnectionManager.newBuilder()
                .setStatPrefix(statPrefix)
                .setRds(Rds.newBuilder()
                        .setConfigSource(ClusterGenerator.adsConfigSource())
                        .setRouteConfigName(routeName))
                .setUseRemoteAddress(BoolValue.of(true))
                .addAllHttpFilters(HttpFilters.withFault())
                .build();
    }
}

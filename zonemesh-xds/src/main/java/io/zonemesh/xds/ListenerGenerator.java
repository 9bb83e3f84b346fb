package io.zonemesh.xds;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.zonemesh.model.MeshState;
import java.util.List;
import java.util.Map;

/** LDS: {@code virtualOutbound} and {@code virtualInbound} (docs/XDS_SHAPES.md "Listeners"). */
final class ListenerGenerator {
    static final String VIRTUAL_OUTBOUND = "virtualOutbound";
    static final String VIRTUAL_INBOUND = "virtualInbound";
    static final int OUTBOUND_PORT = 15001;
    static final int INBOUND_PORT = 15006;
    static final String HCM_FILTER = "envoy.filters.network.http_connection_manager";
    static final String INBOUND_ROUTE = "inbound|http";

    private ListenerGenerator() {}

    /**
     * The HTTP-proxy listener applications send outbound requests to; its routes come over ADS as
     * {@code http_proxy}. The address names the role; the proxy binds the socket it was given.
     */
    static Listener virtualOutbound() {
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("outbound")
                .setRds(Rds.newBuilder()
                        .setConfigSource(ClusterGenerator.adsConfigSource())
                        .setRouteConfigName(RouteGenerator.HTTP_PROXY))
                .setHttpProtocolOptions(Http1ProtocolOptions.newBuilder().setAllowAbsoluteUrl(BoolValue.of(true)))
                .addAllHttpFilters(HttpFilters.withFault())
                .build();
        return listener(VIRTUAL_OUTBOUND, OUTBOUND_PORT, TrafficDirection.OUTBOUND, hcm);
    }

    /**
     * The inbound listener: an inline route per application port ({@code *:<port>}) and a
     * catch-all to the first port (without application ports it has no virtual hosts and answers
     * 404), behind filter chains by PeerAuthentication mode ({@link InboundFilterChains}) and a
     * {@code tls_inspector} that tells TLS from plaintext. The HCM forwards the verified peer
     * identity to the application in {@code x-forwarded-client-cert} as Istio's sidecar inbound
     * does ({@code APPEND_FORWARD}; subject, URI and DNS SANs of the client certificate).
     */
    static Listener virtualInbound(MeshState state, ProxyIdentity proxy) {
        RouteConfiguration.Builder routes = RouteConfiguration.newBuilder().setName(INBOUND_ROUTE);
        for (Map.Entry<Integer, String> e : proxy.appPorts().entrySet()) {
            routes.addVirtualHosts(inboundHost(INBOUND_ROUTE + "|" + e.getKey(), "*:" + e.getKey(), e.getKey()));
        }
        if (!proxy.appPorts().isEmpty()) {
            int first = proxy.appPorts().keySet().iterator().next();
            routes.addVirtualHosts(inboundHost(INBOUND_ROUTE + "|default", "*", first));
        }
        HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
                .setStatPrefix("inbound")
                .setRouteConfig(routes)
                .addHttpFilters(HttpFilters.router())
                .setForwardClientCertDetails(HttpConnectionManager.ForwardClientCertDetails.APPEND_FORWARD)
                .setSetCurrentClientCertDetails(HttpConnectionManager.SetCurrentClientCertDetails.newBuilder()
                        .setSubject(BoolValue.of(true))
                        .setDns(true)
                        .setUri(true))
                .build();
        return Listener.newBuilder()
                .setName(VIRTUAL_INBOUND)
                .setAddress(anyAddress(INBOUND_PORT))
                .setTrafficDirection(TrafficDirection.INBOUND)
                .addListenerFilters(GatewayListenerGenerator.tlsInspector())
                .addAllFilterChains(InboundFilterChains.of(state, proxy, hcmFilter(hcm)))
                .build();
    }

    private static VirtualHost inboundHost(String name, String domain, int port) {
        return VirtualHost.newBuilder()
                .setName(name)
                .addAllDomains(List.of(domain))
                .addRoutes(RouteGenerator.defaultRoute(ClusterNames.inbound(port), List.of()))
                .build();
    }

    private static Listener listener(String name, int port, TrafficDirection direction, HttpConnectionManager hcm) {
        return Listener.newBuilder()
                .setName(name)
                .setAddress(anyAddress(port))
                .setTrafficDirection(direction)
                .addFilterChains(FilterChain.newBuilder().addFilters(hcmFilter(hcm)))
                .build();
    }

    /** {@code 0.0.0.0:<port>}. */
    static Address anyAddress(int port) {
        return Address.newBuilder()
                .setSocketAddress(
                        SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(port))
                .build();
    }

    /** The network filter holding an HTTP connection manager. */
    static Filter hcmFilter(HttpConnectionManager hcm) {
        return Filter.newBuilder()
                .setName(HCM_FILTER)
                .setTypedConfig(Any.pack(hcm))
                .build();
    }
}

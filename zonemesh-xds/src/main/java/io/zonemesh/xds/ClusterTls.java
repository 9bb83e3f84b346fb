package io.zonemesh.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.ClientTls;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.PeerAuthenticationConfig.Mode;
import io.zonemesh.xds.cluster.ConnectionPoolMapper;
import io.zonemesh.xds.cluster.UpstreamTlsMapper;
import io.zonemesh.xds.security.MtlsTransportSockets;
import java.util.List;

/**
 * The transport socket of an outbound cluster, istiod's {@code buildUpstreamTLSSettings} and
 * {@code applyUpstreamTLSSettings} ({@code cluster_tls.go}): a DestinationRule {@code tls} wins
 * (DISABLE: plaintext; ISTIO_MUTUAL: mutual TLS to every endpoint; SIMPLE/MUTUAL: origination with
 * files); without one, auto mutual TLS as {@code transport_socket_matches} unless the service is
 * mesh-external, auto mTLS is off or the service's namespace-level mode is DISABLE.
 */
final class ClusterTls {
    private ClusterTls() {}

    static void apply(OutboundScope scope, OutboundCluster c, Cluster.Builder cluster) {
        ClientTls tls = c.policy.tls();
        if (scope.grpc()) {
            // grpc takes TLS only from certificate-provider plugins (gRFC A29), not from files or SDS.
            if (tls != null && tls.mode() != ClientTls.Mode.DISABLE) {
                scope.warn("cluster " + c.name + ": trafficPolicy.tls " + tls.mode()
                        + " left out for grpc clients: they need certificate providers, not files");
            }
            return;
        }
        if (tls == null) {
            autoMtls(scope, c, cluster);
            return;
        }
        switch (tls.mode()) {
            case DISABLE -> {}
            case ISTIO_MUTUAL -> cluster.setTransportSocket(MtlsTransportSockets.upstream(
                    tls.sni() == null || tls.sni().isEmpty() ? sni(c) : tls.sni(),
                    // Istio: the rule's subjectAltNames when given, else the service's accounts.
                    tls.subjectAltNames().isEmpty() ? scope.serviceAccounts(c.service) : tls.subjectAltNames(),
                    http2(cluster)));
            case SIMPLE, MUTUAL -> {
                if (tls.mode() == ClientTls.Mode.MUTUAL
                        && (tls.clientCertificate() == null || tls.privateKey() == null)) {
                    scope.warn("cluster " + c.name + ": trafficPolicy.tls MUTUAL left out: MUTUAL needs "
                            + "clientCertificate and privateKey files (credentialName is not supported)");
                } else {
                    UpstreamTlsMapper.apply(cluster, tls);
                }
            }
        }
    }

    private static void autoMtls(OutboundScope scope, OutboundCluster c, Cluster.Builder cluster) {
        if (!scope.state.settings().enableAutoMtls()
                || c.service.origin() == Service.Origin.SERVICE_ENTRY_EXTERNAL
                || serviceMode(scope, c) == Mode.DISABLE) {
            return;
        }
        cluster.addAllTransportSocketMatches(MtlsTransportSockets.autoMtlsMatches(MtlsTransportSockets.upstream(
                sni(c), scope.serviceAccounts(c.service), http2(cluster))));
    }

    /**
     * istiod's {@code BestEffortInferServiceMTLSMode}: a passthrough service (headless, or a
     * PASSTHROUGH load balancer) is DISABLE unless it has endpoints and all have a sidecar;
     * otherwise the namespace-level (else mesh-level) PeerAuthentication mode of the service's
     * namespace, PERMISSIVE when there is none.
     */
    static Mode serviceMode(OutboundScope scope, OutboundCluster c) {
        LoadBalancerSettings lb = c.policy.loadBalancer();
        boolean passthrough = c.service.resolution() == Service.Resolution.PASSTHROUGH
                || (lb != null && lb.simple() == LoadBalancerSettings.SimpleLb.PASSTHROUGH);
        if (passthrough) {
            List<Endpoint> endpoints = scope.state.endpoints(c.service.hostname(), c.port.port());
            if (endpoints.isEmpty()
                    || endpoints.stream().anyMatch(e -> Endpoint.TLS_MODE_DISABLED.equals(e.tlsMode()))) {
                return Mode.DISABLE;
            }
        }
        Mode mode = scope.peerAuthn().namespaceMode(c.service.namespace());
        return mode == null ? Mode.PERMISSIVE : mode;
    }

    /** The SNI Istio derives from the cluster: {@code outbound_.<port>_.<subset>_.<host>}. */
    static String sni(OutboundCluster c) {
        return MtlsTransportSockets.sni(c.port.port(), c.subset == null ? "" : c.subset.name(), c.service.hostname());
    }

    /** Istio's {@code isHttp2Cluster}: the cluster's upstream protocol options say HTTP/2. */
    private static boolean http2(Cluster.Builder cluster) {
        @Nullable Any any = cluster.getTypedExtensionProtocolOptionsMap().get(ConnectionPoolMapper.HTTP_PROTOCOL_OPTIONS_KEY);
        if (any == null) {
            return false;
        }
        try {
            return any.unpack(HttpProtocolOptions.class).getExplicitHttpConfig().hasHttp2ProtocolOptions();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(
                    "typed_extension_protocol_options: " + any.getTypeUrl() + " (expected: HttpProtocolOptions)", e);
        }
    }
}

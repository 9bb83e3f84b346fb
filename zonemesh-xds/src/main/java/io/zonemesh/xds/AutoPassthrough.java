package io.zonemesh.xds;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.GatewayConfig;
import io.zonemesh.model.istio.IstioHosts;
import io.zonemesh.model.istio.WorkloadSelector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The filter chains of a Gateway server with {@code tls.mode: AUTO_PASSTHROUGH}, istiod's
 * {@code builtAutoPassthroughFilterChains} (pilot/pkg/networking/core/gateway.go): for every mesh
 * service (not MESH_EXTERNAL) whose host the server's hosts match, for every port and every subset
 * of its DestinationRule, one chain matching SNI {@code outbound_.<port>_.<subset>_.<host>} and the
 * Istio mTLS ALPNs, whose only filter is a {@code tcp_proxy} (stat prefix and cluster both that
 * DNS-SRV name) to the gateway's SNI-DNAT cluster of the same name. TLS is not terminated.
 *
 * <p>Legacy {@code .global} names (Istio 1.6–1.8 with {@code global.multiCluster} and
 * {@code includeEnvoyFilter}: the {@code sni_cluster} and {@code tcp_cluster_rewrite} filters
 * replaced a trailing {@code .global} by {@code .svc.cluster.local}): for every exposed Kubernetes
 * service {@code <svc>.<ns>.svc.<domain suffix>} whose local or {@code <svc>.<ns>.global} name a
 * server host matches, zonemesh adds the chains matching
 * {@code outbound_.<port>_.<subset>_.<svc>.<ns>.global} that proxy to the local name's cluster, the
 * same mapping as explicit chains (no cluster-rewrite filter). An SNI already matched by an earlier
 * chain is not repeated (Envoy rejects duplicate matches).
 */
final class AutoPassthrough {
    /** The Gateway {@code tls.mode}. */
    static final String MODE = "AUTO_PASSTHROUGH";
    /** Envoy's TCP proxy network filter. */
    static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    /** istiod's {@code allIstioMtlsALPNs} (pilot/pkg/networking/core/listener.go). */
    static final List<String> ISTIO_MTLS_ALPNS =
            List.of("istio", "istio-peer-exchange", "istio-http/1.0", "istio-http/1.1", "istio-h2");

    private static final String GLOBAL_SUFFIX = ".global";

    private AutoPassthrough() {}

    /**
     * Whether a Gateway selecting a gateway proxy with these labels has an AUTO_PASSTHROUGH server:
     * istiod then gives the proxy its SNI-DNAT clusters ({@code ContainsAutoPassthroughGateways}).
     */
    static boolean servedBy(MeshState state, Map<String, String> proxyLabels) {
        for (GatewayConfig gw : state.istio().gateways()) {
            if (!new WorkloadSelector(gw.selector()).matches(proxyLabels)) {
                continue;
            }
            for (GatewayConfig.Server s : gw.servers()) {
                if (s.tls() != null && MODE.equals(s.tls().mode().toUpperCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The chains of the AUTO_PASSTHROUGH servers of one port, in server, service, port, subset order. */
    static List<FilterChain> chains(OutboundScope scope, List<GatewayServers.Bound> servers) {
        List<FilterChain> out = new ArrayList<>();
        Set<String> sniSeen = new HashSet<>();
        String suffix = ".svc." + scope.state.settings().domainSuffix();
        for (GatewayServers.Bound b : servers) {
            if (!b.passthrough()) {
                continue;
            }
            List<String> hosts = b.server().hosts();
            List<Service> globals = new ArrayList<>();
            for (Service service : scope.services) {
                if (service.origin() == Service.Origin.SERVICE_ENTRY_EXTERNAL) {
                    continue;
                }
                String global = globalName(service.hostname(), suffix);
                if (exposes(hosts, service)) {
                    addChains(scope, service, service.hostname(), out, sniSeen);
                    if (global != null) {
                        globals.add(service);
                    }
                } else if (global != null && matchesAny(hosts, global, service.namespace())) {
                    globals.add(service);
                }
            }
            for (Service service : globals) {
                addChains(scope, service, globalName(service.hostname(), suffix), out, sniSeen);
            }
        }
        return out;
    }

    private static void addChains(
            OutboundScope scope, Service service, @Nullable String sniHost, List<FilterChain> out, Set<String> sniSeen) {
        if (sniHost == null) {
            return;
        }
        DestinationRuleConfig rule = scope.destinationRule(service);
        for (ServicePort port : service.ports()) {
            add(out, sniSeen, ClusterNames.dnsSrvSubsetKey(port.port(), null, sniHost),
                    ClusterNames.dnsSrvSubsetKey(port.port(), null, service.hostname()));
            if (rule != null) {
                for (DestinationRuleConfig.Subset subset : rule.subsets()) {
                    add(out, sniSeen, ClusterNames.dnsSrvSubsetKey(port.port(), subset.name(), sniHost),
                            ClusterNames.dnsSrvSubsetKey(port.port(), subset.name(), service.hostname()));
                }
            }
        }
    }

    private static void add(List<FilterChain> out, Set<String> sniSeen, String sni, String cluster) {
        if (!sniSeen.add(sni)) {
            return;
        }
        out.add(FilterChain.newBuilder()
                .setFilterChainMatch(FilterChainMatch.newBuilder()
                        .addServerNames(sni)
                        .addAllApplicationProtocols(ISTIO_MTLS_ALPNS))
                .addFilters(tcpProxy(cluster))
                .build());
    }

    /** {@code envoy.filters.network.tcp_proxy} to {@code cluster}, its stat prefix the cluster name (istiod's). */
    static Filter tcpProxy(String cluster) {
        return Filter.newBuilder()
                .setName(TCP_PROXY)
                .setTypedConfig(Any.pack(TcpProxy.newBuilder()
                        .setStatPrefix(cluster)
                        .setCluster(cluster)
                        .build()))
                .build();
    }

    /** {@code <svc>.<ns>.global} of {@code <svc>.<ns>.svc.<suffix>}, else null. */
    static @Nullable String globalName(String hostname, String svcSuffix) {
        if (!hostname.endsWith(svcSuffix)) {
            return null;
        }
        String name = hostname.substring(0, hostname.length() - svcSuffix.length());
        return name.indexOf('.') > 0 ? name + GLOBAL_SUFFIX : null;
    }

    private static boolean exposes(List<String> hosts, Service service) {
        return matchesAny(hosts, service.hostname(), service.namespace());
    }

    /**
     * istiod's {@code service.Hostname.SubsetOf(host)} for each server host; a {@code ns/host} host
     * (sanitized by {@link GatewayServers#hosts}) also needs the service's namespace.
     */
    private static boolean matchesAny(List<String> hosts, String hostname, String namespace) {
        for (String h : hosts) {
            int slash = h.indexOf('/');
            if (slash >= 0 && !h.substring(0, slash).equals(namespace)) {
                continue;
            }
            if (IstioHosts.matches(h.substring(slash + 1), hostname)) {
                return true;
            }
        }
        return false;
    }
}

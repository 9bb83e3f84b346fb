package io.zonemesh.xds;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.NetworkGateways;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.xds.scope.DestinationRuleLookup;
import io.zonemesh.xds.scope.ServiceVisibility;
import io.zonemesh.xds.scope.VirtualServiceLookup;
import io.zonemesh.xds.security.MtlsChecker;
import io.zonemesh.xds.security.PeerAuthnPolicies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one proxy group sees of a mesh snapshot: visible services, the DestinationRule of each and
 * the outbound clusters they make. Computed once per {@link XdsGenerator#outbound} call and shared
 * by the generators; it reads nothing about the proxy beyond its {@link ProxyGroupKey}. It also
 * collects the warnings of that one generation (it is confined to the generating thread).
 */
final class OutboundScope {
    final MeshState state;
    final ProxyGroupKey proxy;
    final List<Service> services;
    final VirtualServiceLookup virtualServices;
    private final Map<String, DestinationRuleConfig> rules = new HashMap<>();
    private final List<OutboundCluster> clusters;
    private final Map<String, OutboundCluster> clustersByName = new HashMap<>();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Map<String, Service> servicesByHost = new HashMap<>();
    private final Map<String, List<String>> serviceAccounts = new HashMap<>();
    private final PeerAuthnPolicies peerAuthn;
    private final NetworkGateways gateways;

    OutboundScope(MeshState state, ProxyGroupKey proxy) {
        this.state = state;
        this.proxy = proxy;
        this.peerAuthn = PeerAuthnPolicies.of(state);
        this.gateways = state.gateways();
        this.services = ServiceVisibility.visibleServices(
                state, proxy.namespace(), proxy.labels(), proxy.proxyType() == ProxyIdentity.ProxyType.SIDECAR);
        services.forEach(s -> servicesByHost.put(s.hostname(), s));
        String suffix = state.settings().domainSuffix();
        this.virtualServices =
                new VirtualServiceLookup(state.istio().virtualServices(), suffix, host -> service(host) != null);
        DestinationRuleLookup lookup = new DestinationRuleLookup(state.destinationRules(), suffix);
        List<OutboundCluster> out = new ArrayList<>();
        for (Service s : services) {
            DestinationRuleConfig rule = lookup.find(proxy.namespace(), proxy.labels(), s.hostname(), s.namespace());
            if (rule != null) {
                rules.put(s.hostname(), rule);
            }
            for (ServicePort port : s.ports()) {
                out.add(new OutboundCluster(s, port, rule, null, state.settings()));
                if (rule != null) {
                    // Duplicate or empty subset names would repeat a cluster name, which Envoy NACKs.
                    Set<String> names = new HashSet<>();
                    for (DestinationRuleConfig.Subset subset : rule.subsets()) {
                        if (!subset.name().isEmpty() && names.add(subset.name())) {
                            out.add(new OutboundCluster(s, port, rule, subset, state.settings()));
                        }
                    }
                }
            }
        }
        if (proxy.proxyType() == ProxyIdentity.ProxyType.ROUTER && AutoPassthrough.servedBy(state, proxy.labels())) {
            // istiod's buildOutboundSniDnatClusters: every mesh service port and subset again, named
            // by its DNS-SRV key, for the AUTO_PASSTHROUGH chains (UDP ports are not modelled).
            for (Service s : services) {
                if (s.origin() == Service.Origin.SERVICE_ENTRY_EXTERNAL) {
                    continue;
                }
                DestinationRuleConfig rule = rules.get(s.hostname());
                for (ServicePort port : s.ports()) {
                    out.add(new OutboundCluster(s, port, rule, null, state.settings(), true));
                    if (rule != null) {
                        for (DestinationRuleConfig.Subset subset : rule.subsets()) {
                            if (!subset.name().isEmpty()) {
                                out.add(new OutboundCluster(s, port, rule, subset, state.settings(), true));
                            }
                        }
                    }
                }
            }
        }
        out.sort(Comparator.comparing(c -> c.name));
        // A service listing one port number twice would repeat a cluster name; keep the first.
        Set<String> seen = new HashSet<>();
        out.removeIf(c -> !seen.add(c.name));
        this.clusters = List.copyOf(out);
        clusters.forEach(c -> clustersByName.put(c.name, c));
    }

    /** Outbound clusters sorted by name. */
    List<OutboundCluster> clusters() {
        return clusters;
    }

    /** The outbound cluster with this name, or null. */
    @Nullable
    OutboundCluster cluster(String name) {
        return clustersByName.get(name);
    }

    /**
     * Whether a route may send traffic to {@code name}: the cluster exists in this group's output.
     * grpc clients get no DNS clusters (ClusterGenerator), so those do not count for them.
     */
    boolean routable(String name) {
        OutboundCluster c = clustersByName.get(name);
        return c != null && !(grpc() && c.dns());
    }

    /** The proxy is a proxyless gRPC client (LOCALITY.md §5). */
    boolean grpc() {
        return proxy.doesNotSupportOverprovisioning();
    }

    /** Records configuration left out of this generation; see {@link XdsResources#warnings()}. */
    void warn(String warning) {
        warnings.add(warning);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The DestinationRule that applies to a visible service, or null. */
    @Nullable
    DestinationRuleConfig destinationRule(Service service) {
        return rules.get(service.hostname());
    }

    /** The visible service with this host name, or null. */
    @Nullable
    Service service(String hostname) {
        return servicesByHost.get(hostname);
    }

    /** The mesh's network gateways, indexed once per generation. */
    NetworkGateways gateways() {
        return gateways;
    }

    /** The mesh's PeerAuthentications, resolved once per generation. */
    PeerAuthnPolicies peerAuthn() {
        return peerAuthn;
    }

    /** The SPIFFE ids a client accepts from the service's servers (sorted), computed once per service. */
    List<String> serviceAccounts(Service service) {
        return serviceAccounts.computeIfAbsent(service.hostname(), h -> state.serviceAccounts(service));
    }

    /** Which endpoints of {@code cluster} are sent mutual TLS (istiod's {@code mtlsChecker}). */
    MtlsChecker mtlsChecker(OutboundCluster cluster) {
        return new MtlsChecker(
                peerAuthn,
                cluster.policy.tls() == null ? null : cluster.policy.tls().mode());
    }
}

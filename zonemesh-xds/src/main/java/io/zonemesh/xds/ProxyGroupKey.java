package io.zonemesh.xds;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.SidecarConfig;
import io.zonemesh.model.istio.TelemetryConfig;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.VirtualServiceConfig;
import io.zonemesh.xds.locality.EffectiveLbSetting;
import io.zonemesh.xds.locality.FailoverPriority;
import io.zonemesh.xds.locality.SplitHorizon;
import io.zonemesh.xds.locality.TopologyLabels;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything that changes a proxy's outbound resources; proxies with equal keys get identical
 * outbound output, so the caller generates it once per key ({@link XdsGenerator#outbound(MeshState, ProxyGroupKey)}
 * reads nothing else about the proxy).
 *
 * @param labels the proxy's labels, with {@link TopologyLabels}, restricted to those the mesh
 *     reads: named in any {@code failoverPriority} (DestinationRules, mesh, Service
 *     {@code trafficDistribution}), in a Sidecar or DestinationRule workload selector of the
 *     proxy's namespace, in any VirtualService {@code match.sourceLabels} (routes apply only to
 *     proxies carrying them) and, for gateways, in any Gateway {@code selector} (which servers the
 *     gateway serves). Absent labels are left out.
 * @param hasLabels whether the proxy's augmented labels are non-empty (Istio skips
 *     {@code failoverPriority} for a proxy without labels)
 * @param network the proxy's network: endpoints of other networks go through their gateways
 *     (split-horizon EDS, istiod's {@code EndpointsByNetworkFilter})
 * @param networkView {@link ProxyIdentity#requestedNetworkView}, sorted; empty sees every network
 */
public record ProxyGroupKey(
        String namespace,
        Locality locality,
        Map<String, String> labels,
        boolean hasLabels,
        ProxyIdentity.ProxyType proxyType,
        boolean doesNotSupportOverprovisioning,
        String network,
        List<String> networkView)
        implements SplitHorizon.ProxyNetwork {

    /** A key of a proxy on no network that sees every network. */
    public ProxyGroupKey(
            String namespace,
            Locality locality,
            Map<String, String> labels,
            boolean hasLabels,
            ProxyIdentity.ProxyType proxyType,
            boolean doesNotSupportOverprovisioning) {
        this(namespace, locality, labels, hasLabels, proxyType, doesNotSupportOverprovisioning, "", List.of());
    }

    public ProxyGroupKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(locality, "locality");
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        Objects.requireNonNull(proxyType, "proxyType");
        network = Objects.requireNonNullElse(network, "");
        networkView = List.copyOf(new TreeSet<>(networkView));
    }

    /**
     * istiod's {@code ProxyView.IsVisible} (pilot/pkg/model/proxy_view.go): with a requested view,
     * only endpoints of those networks or of no network.
     */
    @Override
    public boolean sees(String endpointNetwork) {
        return networkView.isEmpty() || endpointNetwork.isEmpty() || networkView.contains(endpointNetwork);
    }

    /**
     * istiod's {@code Proxy.InNetwork}: the same network, or either unset
     * ({@code identifier.IsSameOrEmpty}).
     */
    @Override
    public boolean inNetwork(String endpointNetwork) {
        return network.isEmpty() || endpointNetwork.isEmpty() || network.equals(endpointNetwork);
    }

    /** The key of {@code proxy} in {@code state}. */
    public static ProxyGroupKey of(MeshState state, ProxyIdentity proxy) {
        Map<String, String> augmented = TopologyLabels.augment(
                proxy.labels(), proxy.locality(), proxy.cluster(), proxy.nodeName(), proxy.network());
        Map<String, String> relevant = new TreeMap<>();
        for (String key : relevantLabelKeys(state, proxy.namespace(), proxy.proxyType())) {
            String value = augmented.get(key);
            if (value != null) {
                relevant.put(key, value);
            }
        }
        return new ProxyGroupKey(
                proxy.namespace(),
                proxy.locality(),
                relevant,
                !augmented.isEmpty(),
                proxy.proxyType(),
                proxy.doesNotSupportOverprovisioning(),
                proxy.network(),
                proxy.requestedNetworkView());
    }

    /** Label names whose values can change outbound output for a proxy in {@code namespace}. */
    static Set<String> relevantLabelKeys(MeshState state, String namespace, ProxyIdentity.ProxyType type) {
        Set<String> keys = new HashSet<>();
        for (VirtualServiceConfig vs : state.istio().virtualServices()) {
            for (VirtualServiceConfig.HttpRoute rule : vs.http()) {
                rule.match().forEach(m -> keys.addAll(m.sourceLabels().keySet()));
            }
        }
        if (type == ProxyIdentity.ProxyType.ROUTER) {
            state.istio().gateways().forEach(g -> keys.addAll(g.selector().keySet()));
        }
        addFailoverKeys(keys, state.settings().localityLbSetting());
        for (Service s : state.services()) {
            var labels = EffectiveLbSetting.trafficDistributionLabels(s.trafficDistribution());
            if (labels != null) {
                keys.addAll(labels);
            }
        }
        for (DestinationRuleConfig dr : state.destinationRules()) {
            addFailoverKeys(keys, dr.trafficPolicy());
            dr.subsets().forEach(subset -> addFailoverKeys(keys, subset.trafficPolicy()));
            if (dr.workloadSelector() != null && dr.meta().namespace().equals(namespace)) {
                keys.addAll(dr.workloadSelector().matchLabels().keySet());
            }
        }
        // A Telemetry's selector decides which access logs the group's HCMs get.
        for (TelemetryConfig t : state.istio().telemetries()) {
            if (t.selector() != null && t.meta().namespace().equals(namespace)) {
                keys.addAll(t.selector().matchLabels().keySet());
            }
        }
        for (SidecarConfig sc : state.istio().sidecars()) {
            if (sc.workloadSelector() != null && sc.meta().namespace().equals(namespace)) {
                keys.addAll(sc.workloadSelector().matchLabels().keySet());
            }
        }
        return keys;
    }

    private static void addFailoverKeys(Set<String> keys, @Nullable TrafficPolicy policy) {
        if (policy == null) {
            return;
        }
        addFailoverKeys(keys, policy.loadBalancer());
        policy.portLevelSettings().forEach(p -> addFailoverKeys(keys, p.loadBalancer()));
    }

    private static void addFailoverKeys(Set<String> keys, @Nullable LoadBalancerSettings lb) {
        if (lb != null) {
            addFailoverKeys(keys, lb.localityLbSetting());
            if (lb.zoneAwareLbSetting() != null) {
                keys.addAll(FailoverPriority.labelKeys(lb.zoneAwareLbSetting().failoverPriority()));
            }
        }
    }

    private static void addFailoverKeys(Set<String> keys, @Nullable LocalityLbSetting setting) {
        if (setting != null) {
            keys.addAll(FailoverPriority.labelKeys(setting.failoverPriority()));
        }
    }
}

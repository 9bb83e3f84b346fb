package io.zonemesh.xds;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.xds.locality.EffectiveLbSetting;
import io.zonemesh.xds.locality.LoadAssignmentRenderer;
import io.zonemesh.xds.locality.LocalityExplanation;
import io.zonemesh.xds.locality.LocalityGroup;
import io.zonemesh.xds.locality.LocalityGroups;
import io.zonemesh.xds.locality.LocalityReasons;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code zonemesh x explain}: runs {@link EndpointGenerator#loadAssignment}, the EDS code path,
 * for one proxy and cluster with {@link LocalityReasons} recording, and pairs every locality of the
 * resulting {@code ClusterLoadAssignment} with the reasons the locality algorithms recorded.
 * Priorities and weights are read from the assignment, never recomputed.
 */
public final class LoadAssignmentExplainer {
    private LoadAssignmentExplainer() {}

    /**
     * @throws IllegalArgumentException when the proxy has no such cluster (not visible, or a DNS cluster)
     */
    public static LocalityExplanation explain(MeshState state, ProxyIdentity proxy, String clusterName) {
        OutboundScope scope = new OutboundScope(state, ProxyGroupKey.of(state, proxy));
        OutboundCluster cluster = scope.cluster(clusterName);
        if (cluster == null) {
            List<String> names = new ArrayList<>();
            scope.clusters().forEach(c -> names.add(c.name));
            throw new IllegalArgumentException("cluster: " + clusterName + " (expected one of the proxy's outbound"
                    + " clusters: " + String.join(", ", names) + ")");
        }
        LocalityReasons.Recorded<ClusterLoadAssignment> run =
                LocalityReasons.record(() -> EndpointGenerator.loadAssignment(scope, cluster));
        List<LocalityExplanation.Row> rows = new ArrayList<>();
        Set<String> included = new LinkedHashSet<>();
        for (LocalityLbEndpoints lle : run.value().getEndpointsList()) {
            List<LocalityExplanation.EndpointRow> endpoints = new ArrayList<>();
            Set<String> reasons = new LinkedHashSet<>();
            for (LbEndpoint e : lle.getLbEndpointsList()) {
                var sa = e.getEndpoint().getAddress().getSocketAddress();
                String key = LocalityReasons.key(sa.getAddress(), sa.getPortValue());
                included.add(key);
                endpoints.add(new LocalityExplanation.EndpointRow(
                        key, e.getHealthStatus().name()));
                reasons.addAll(run.reasons().endpoint(key));
            }
            var l = lle.getLocality();
            String subZone = l.getSubZone();
            int cut = subZone.indexOf(LoadAssignmentRenderer.SUBZONE_PRIORITY_SEPARATOR);
            String locality =
                    new Locality(l.getRegion(), l.getZone(), cut < 0 ? subZone : subZone.substring(0, cut)).toString();
            rows.add(new LocalityExplanation.Row(
                    locality,
                    lle.getPriority(),
                    lle.getLoadBalancingWeight().getValue(),
                    endpoints,
                    List.copyOf(reasons)));
        }
        List<LocalityExplanation.Row> excluded = new ArrayList<>();
        for (LocalityGroup g : LocalityGroups.of(cluster.endpoints(state))) {
            List<LocalityExplanation.EndpointRow> endpoints = new ArrayList<>();
            Set<String> reasons = new LinkedHashSet<>();
            for (Endpoint e : g.endpoints()) {
                String key = LocalityReasons.key(e.address(), e.port());
                if (!included.contains(key)) {
                    endpoints.add(
                            new LocalityExplanation.EndpointRow(key, e.health().name()));
                    reasons.addAll(run.reasons().endpoint(key));
                }
            }
            if (!endpoints.isEmpty()) {
                excluded.add(
                        new LocalityExplanation.Row(g.locality().toString(), -1, 0, endpoints, List.copyOf(reasons)));
            }
        }
        return new LocalityExplanation(
                clusterName,
                proxy.podName() + "." + proxy.namespace(),
                proxy.locality().toString(),
                setting(cluster),
                run.reasons().cluster(),
                rows,
                excluded);
    }

    /** Which setting applies, from the cluster's resolved {@link EffectiveLbSetting}. */
    private static String setting(OutboundCluster c) {
        String outlier = c.policy.outlierDetection() == null ? "no outlierDetection" : "outlierDetection set";
        if (c.zoneAwareEnabled()) {
            return "DestinationRule zoneAwareLbSetting (" + outlier + "; applied without it)";
        }
        if (c.zoneAware != null) {
            return "DestinationRule zoneAwareLbSetting enabled: false: no locality LB";
        }
        EffectiveLbSetting s = c.locality;
        if (s == null) {
            LocalityLbSetting rule = c.policy.loadBalancer() == null
                    ? null
                    : c.policy.loadBalancer().localityLbSetting();
            return rule != null && rule.isDisabled()
                    ? "DestinationRule localityLbSetting enabled: false: no locality LB"
                    : "mesh localityLbSetting disabled: no locality LB";
        }
        String from = switch (s.source()) {
            case DESTINATION_RULE -> "DestinationRule localityLbSetting";
            case TRAFFIC_DISTRIBUTION ->
                "Service trafficDistribution: " + c.service.trafficDistribution() + " (failoverPriority "
                        + s.setting().failoverPriority() + ", no outlierDetection needed)";
            case MESH -> "mesh default localityLbSetting";
        };
        return from + (s.distributeFailover() ? " with zonemesh.io/distribute-failover" : "") + "; " + outlier
                + "; failover " + (c.enableFailover() ? "enabled" : "not applied");
    }
}

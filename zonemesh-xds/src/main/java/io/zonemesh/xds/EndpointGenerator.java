package io.zonemesh.xds;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.xds.locality.LoadAssignmentRenderer;
import io.zonemesh.xds.locality.LocalityGroup;
import io.zonemesh.xds.locality.LocalityGroups;
import io.zonemesh.xds.locality.LocalityLoadBalancing;
import io.zonemesh.xds.locality.MtlsOnly;
import io.zonemesh.xds.locality.SplitHorizon;
import io.zonemesh.xds.locality.ZoneAwareFailover;
import io.zonemesh.xds.security.MtlsChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * EDS: one {@code ClusterLoadAssignment} per outbound EDS cluster, with priorities and locality
 * weights relative to the calling proxy group (LOCALITY.md §1.2).
 */
final class EndpointGenerator {
    private EndpointGenerator() {}

    /** Assignments of the scope's EDS clusters, sorted by cluster name; {@code cache} may be null. */
    static List<ClusterLoadAssignment> generate(OutboundScope scope, @Nullable LoadAssignmentCache cache) {
        List<ClusterLoadAssignment> out = new ArrayList<>();
        ProxyGroupKey proxy = scope.proxy;
        for (OutboundCluster c : scope.clusters()) {
            if (c.dns()) {
                continue;
            }
            if (cache == null) {
                out.add(loadAssignment(scope, c));
            } else {
                List<Endpoint> endpoints = c.endpoints(scope.state);
                MtlsChecker mtls = scope.mtlsChecker(c);
                List<Boolean> mtlsByEndpoint = new ArrayList<>(endpoints.size());
                endpoints.forEach(e -> mtlsByEndpoint.add(mtls.mtls(e)));
                LoadAssignmentCache.Key key = new LoadAssignmentCache.Key(
                        c.name,
                        proxy.network(),
                        proxy.networkView(),
                        scope.gateways(),
                        c.locality,
                        c.enableFailover(),
                        c.zoneAwareEnabled() ? c.zoneAware : null,
                        proxy.locality(),
                        proxy.labels(),
                        proxy.hasLabels(),
                        proxy.doesNotSupportOverprovisioning(),
                        endpoints,
                        mtlsByEndpoint);
                out.add(cache.get(key, () -> loadAssignment(scope, c)));
            }
        }
        return out;
    }

    /** The assignment of one cluster; DNS clusters embed it as their {@code load_assignment}. */
    static ClusterLoadAssignment loadAssignment(OutboundScope scope, OutboundCluster cluster) {
        ProxyGroupKey proxy = scope.proxy;
        MtlsChecker mtls = scope.mtlsChecker(cluster);
        List<LocalityGroup> all = LocalityGroups.of(cluster.endpoints(scope.state));
        Set<Endpoint> gateways = Set.of();
        if (!cluster.dns()) {
            // istiod builds DNS clusters' endpoints without the EDS filters (cluster_builder.go).
            SplitHorizon.Result split = SplitHorizon.apply(all, proxy, scope.gateways(), mtls::mtls);
            all = split.groups();
            gateways = split.gatewayEndpoints();
            if (cluster.sniDnat) {
                // istiod's EndpointsWithMTLSFilter on DNS-SRV-named (AUTO_PASSTHROUGH) clusters: the
                // gateway cannot tell whether the passed-through connection is mTLS, so it only
                // forwards to endpoints the mesh would send mTLS.
                all = MtlsOnly.apply(all, gateways, mtls::mtls);
            }
        }
        List<LocalityGroup> groups = cluster.zoneAwareEnabled()
                ? ZoneAwareFailover.apply(
                        Objects.requireNonNull(cluster.zoneAware, "zoneAwareEnabled"),
                        proxy.locality(),
                        proxy.labels(),
                        proxy.hasLabels(),
                        all)
                : LocalityLoadBalancing.apply(
                        cluster.locality,
                        cluster.enableFailover(),
                        proxy.locality(),
                        proxy.labels(),
                        proxy.hasLabels(),
                        all);
        Set<Endpoint> viaGateway = gateways;
        return LoadAssignmentRenderer.render(
                cluster.name,
                groups,
                proxy.doesNotSupportOverprovisioning(),
                e -> viaGateway.contains(e) || mtls.mtls(e));
    }
}

package io.zonemesh.xds;

import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.Workload;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.xds.cluster.ConnectionPoolMapper;
import io.zonemesh.xds.cluster.Protos;
import io.zonemesh.xds.locality.LoadAssignmentRenderer;
import io.zonemesh.xds.locality.LocalityGroups;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The {@code local_cluster} of a sidecar: Envoy's {@code cluster_manager.local_cluster_name}, the
 * caller's own service, against which zone-aware routing weighs each zone (ZONE_AWARE.md §4).
 *
 * <p>Istio adds it to the bootstrap when the proxy sets {@code ISTIO_META_ENABLE_SELF_DISCOVERY}
 * and serves its endpoints over EDS. zonemesh proxies learn everything over xDS, so the control
 * plane sends it as a CDS cluster named {@value #NAME} (EDS, least request, zone-aware with
 * {@code min_cluster_size: 1}, as Istio's bootstrap) plus its assignment, to every sidecar once
 * some DestinationRule turns {@code zoneAwareLbSetting} on: zonemesh's self-discovery switch. As
 * with Istio's, the proxy's other clusters then get Envoy's implicit zone-aware routing too.
 *
 * <p>Endpoints, as istiod's endpoint builder: those of the proxy's local service (the first by
 * hostname among the services that have the proxy as an endpoint; Istio takes the oldest, and
 * zonemesh's model has no creation time), on its first port, of the same workload (owner) with
 * the same {@code pod-template-hash} and {@code rollouts-pod-template-hash}, in the proxy's region,
 * all at priority 0.
 */
final class LocalClusterGenerator {
    /** Istio's {@code local_cluster_name}; the proxy's ClusterManager looks for this name. */
    static final String NAME = "local_cluster";

    private static final List<String> TEMPLATE_HASH_LABELS = List.of("pod-template-hash", "rollouts-pod-template-hash");

    private LocalClusterGenerator() {}

    /** The cluster and its assignment, or nothing when no rule enables zone-aware routing or the proxy has no service. */
    static XdsResources generate(MeshState state, ProxyIdentity proxy) {
        if (!selfDiscovery(state)) {
            return XdsResources.EMPTY;
        }
        Service local = localService(state, proxy);
        if (local == null || local.ports().isEmpty()) {
            return XdsResources.EMPTY;
        }
        ServicePort port = local.ports().get(0);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Endpoint e : state.endpoints(local.hostname(), port.port())) {
            if (sameWorkload(state, proxy, e)
                    && e.locality().region().equals(proxy.locality().region())) {
                endpoints.add(e);
            }
        }
        Cluster.Builder cluster = Cluster.newBuilder()
                .setName(NAME)
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                        .setServiceName(NAME)
                        .setEdsConfig(ClusterGenerator.adsConfigSource()
                                .setInitialFetchTimeout(Protos.duration(Duration.ZERO))))
                .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
                .setCommonLbConfig(Cluster.CommonLbConfig.newBuilder()
                        .setZoneAwareLbConfig(Cluster.CommonLbConfig.ZoneAwareLbConfig.newBuilder()
                                .setMinClusterSize(UInt64Value.of(1))));
        ConnectionPoolMapper.apply(cluster, null, state.settings().connectTimeout(), port.protocol());
        return new XdsResources(
                List.of(),
                List.of(),
                List.of(cluster.build()),
                List.of(LoadAssignmentRenderer.render(NAME, LocalityGroups.of(endpoints), false)));
    }

    /** Some DestinationRule policy (top level, subset or port) sets {@code zoneAwareLbSetting} other than {@code enabled: false}. */
    static boolean selfDiscovery(MeshState state) {
        for (DestinationRuleConfig dr : state.destinationRules()) {
            if (zoneAware(dr.trafficPolicy())) {
                return true;
            }
            for (DestinationRuleConfig.Subset subset : dr.subsets()) {
                if (zoneAware(subset.trafficPolicy())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean zoneAware(@Nullable TrafficPolicy policy) {
        if (policy == null) {
            return false;
        }
        if (zoneAware(policy.loadBalancer())) {
            return true;
        }
        return policy.portLevelSettings().stream().anyMatch(p -> zoneAware(p.loadBalancer()));
    }

    private static boolean zoneAware(@Nullable LoadBalancerSettings lb) {
        return lb != null
                && lb.zoneAwareLbSetting() != null
                && !lb.zoneAwareLbSetting().isDisabled();
    }

    private static @Nullable Service localService(MeshState state, ProxyIdentity proxy) {
        return state.services().stream()
                .filter(s -> s.namespace().equals(proxy.namespace()))
                .filter(s -> state.endpointsByHost().getOrDefault(s.hostname(), List.of()).stream()
                        .anyMatch(e -> e.workloadName().equals(proxy.podName())))
                .min(Comparator.comparing(Service::hostname))
                .orElse(null);
    }

    private static boolean sameWorkload(MeshState state, ProxyIdentity proxy, Endpoint e) {
        if (!e.namespace().equals(proxy.namespace())) {
            return false;
        }
        Workload w = state.workload(e.namespace(), e.workloadName());
        String owner = w == null ? e.workloadName() : w.owner();
        if (!owner.equals(proxy.owner())) {
            return false;
        }
        for (String label : TEMPLATE_HASH_LABELS) {
            if (!Objects.equals(proxy.labels().get(label), e.labels().get(label))) {
                return false;
            }
        }
        return true;
    }
}

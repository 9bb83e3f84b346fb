package io.zonemesh.xds;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.HealthStatus;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Service;
import io.zonemesh.model.ServicePort;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import io.zonemesh.xds.locality.DistributeFailover;
import io.zonemesh.xds.locality.EffectiveLbSetting;
import io.zonemesh.xds.scope.TrafficPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One outbound cluster of a proxy group: a service port, optionally a DestinationRule subset, and
 * everything derived from the rule that both the Cluster and its endpoints need.
 */
final class OutboundCluster {
    final String name;
    final Service service;
    final ServicePort port;
    final @Nullable DestinationRuleConfig.Subset subset;
    /** The merged top-level, subset and port-level policy (LOCALITY.md §4). */
    final TrafficPolicy policy;
    /** Null when locality load balancing is off for this destination (always with {@link #zoneAware}). */
    final @Nullable EffectiveLbSetting locality;
    /**
     * The DestinationRule's {@code zoneAwareLbSetting}, null when unset. It wins over every
     * locality setting and {@code trafficDistribution} (Istio's {@code GetEffectiveLbSetting},
     * ZONE_AWARE.md §4). The mesh-wide {@code zoneAwareLbSetting} is not modelled.
     */
    final @Nullable ZoneAwareLbSetting zoneAware;
    /**
     * An east-west gateway's SNI-DNAT cluster, istiod's {@code buildOutboundSniDnatClusters}: named by
     * the DNS-SRV key {@code outbound_.<port>_.<subset>_.<host>} (the SNI its AUTO_PASSTHROUGH chain
     * matches), no upstream TLS (the client's mTLS passes through), only mTLS endpoints.
     */
    final boolean sniDnat;

    OutboundCluster(
            Service service,
            ServicePort port,
            @Nullable DestinationRuleConfig rule,
            @Nullable DestinationRuleConfig.Subset subset,
            MeshSettings mesh) {
        this(service, port, rule, subset, mesh, false);
    }

    OutboundCluster(
            Service service,
            ServicePort port,
            @Nullable DestinationRuleConfig rule,
            @Nullable DestinationRuleConfig.Subset subset,
            MeshSettings mesh,
            boolean sniDnat) {
        String subsetName = subset == null ? null : subset.name();
        this.sniDnat = sniDnat;
        this.name = sniDnat
                ? ClusterNames.dnsSrvSubsetKey(port.port(), subsetName, service.hostname())
                : ClusterNames.outbound(port.port(), subsetName, service.hostname());
        this.service = service;
        this.port = port;
        this.subset = subset;
        this.policy = TrafficPolicies.merge(
                rule == null ? null : rule.trafficPolicy(),
                subset == null ? null : subset.trafficPolicy(),
                port.port());
        boolean distributeFailover =
                rule != null && "true".equals(rule.meta().annotations().get(DistributeFailover.ANNOTATION));
        this.zoneAware =
                policy.loadBalancer() == null ? null : policy.loadBalancer().zoneAwareLbSetting();
        this.locality = zoneAware != null
                ? null
                : EffectiveLbSetting.resolve(
                        policy.loadBalancer() == null
                                ? null
                                : policy.loadBalancer().localityLbSetting(),
                        distributeFailover,
                        service,
                        mesh);
    }

    /** Zone-aware routing applies: set and not {@code enabled: false}. */
    boolean zoneAwareEnabled() {
        return zoneAware != null && !zoneAware.isDisabled();
    }

    /** DNS-resolved services carry their endpoints in the cluster (STRICT_DNS), all others use EDS. */
    boolean dns() {
        return service.resolution() == Service.Resolution.DNS
                || service.resolution() == Service.Resolution.DNS_ROUND_ROBIN;
    }

    /** Failover is on: forced, or the DestinationRule's merged policy has outlier detection (LOCALITY.md §2.1). */
    boolean enableFailover() {
        return locality != null && locality.enableFailover(policy.outlierDetection() != null);
    }

    boolean localityWeighted() {
        return locality != null && locality.localityWeighted(enableFailover());
    }

    /**
     * A Service {@code trafficDistribution} forces unready endpoints to be sent and the panic
     * threshold to 0, so Envoy learns health from EDS (Istio's {@code ForcesSupportUnhealthyEndpoints}).
     */
    boolean forcesUnhealthyEndpoints() {
        return EffectiveLbSetting.trafficDistributionLabels(service.trafficDistribution()) != null;
    }

    /**
     * {@code healthy_panic_threshold}: {@code minHealthPercent} (default 0) with outlier detection,
     * as Istio; 0 otherwise too, because unready endpoints are sent as UNHEALTHY and Envoy's default
     * 50% panic would route to them (Istio sets 0 whenever it sends unhealthy endpoints, §2.2).
     */
    int panicThresholdPercent() {
        OutlierDetection od = policy.outlierDetection();
        if (od == null || od.minHealthPercent() == null || forcesUnhealthyEndpoints()) {
            return 0;
        }
        return od.minHealthPercent();
    }

    /**
     * The endpoints of this cluster: the service port's endpoints matching the subset's labels.
     * Unready ones are kept (as UNHEALTHY) unless {@code minHealthPercent > 0}, Istio 1.31's
     * {@code PILOT_AUTO_SEND_UNHEALTHY_ENDPOINTS} rule: panic routing would otherwise reach them.
     */
    List<Endpoint> endpoints(MeshState state) {
        boolean sendUnhealthy = panicThresholdPercent() == 0;
        List<Endpoint> out = new ArrayList<>();
        for (Endpoint e : state.endpoints(service.hostname(), port.port())) {
            if ((subset == null || matches(subset.labels(), e.labels()))
                    && (sendUnhealthy || e.health() == HealthStatus.HEALTHY)) {
                out.add(e);
            }
        }
        return out;
    }

    private static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}

package io.zonemesh.xds.locality;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.LocalityLbSetting;
import java.util.List;
import java.util.Map;

/**
 * Istio's {@code ApplyLocalityLoadBalancer} (LOCALITY.md §1.8 summary): which of the locality
 * algorithms run for one destination and calling proxy, in which order.
 */
public final class LocalityLoadBalancing {
    private LocalityLoadBalancing() {}

    /**
     * The proxy-relative priorities and weights of {@code groups}.
     *
     * @param setting the effective setting, or null when locality load balancing is off
     * @param enableFailover {@link EffectiveLbSetting#enableFailover}
     * @param proxyLabels the proxy's labels with {@link TopologyLabels}; it may hold only the
     *     labels some {@code failoverPriority} names
     * @param proxyHasLabels whether the proxy's (augmented) labels are non-empty: Istio skips
     *     {@code failoverPriority} for a proxy without labels
     */
    public static List<LocalityGroup> apply(
            @Nullable EffectiveLbSetting setting,
            boolean enableFailover,
            Locality proxyLocality,
            Map<String, String> proxyLabels,
            boolean proxyHasLabels,
            List<LocalityGroup> groups) {
        if (setting == null) {
            LocalityReasons.cluster("no locality LB: one priority 0, weights are endpoint weights");
            return LocalityGroups.compact(groups);
        }
        LocalityLbSetting s = setting.setting();
        if (!s.distribute().isEmpty()) {
            // distribute needs no outlier detection and ignores failoverPriority (LOCALITY.md §1.6).
            return setting.distributeFailover()
                    ? DistributeFailover.apply(proxyLocality, s.distribute(), s.failover(), groups)
                    : LocalityDistribute.apply(proxyLocality, s.distribute(), groups);
        }
        if (!enableFailover) {
            LocalityReasons.cluster("outlier-detection gate: the DestinationRule has no outlierDetection, so no"
                    + " failover priorities are set (Istio PR #14099); every locality is priority 0");
            // Without outlier detection Envoy would never learn a priority is unhealthy, so Istio
            // sets no priorities at all (PR #14099).
            return LocalityGroups.compact(groups);
        }
        if (s.failoverPriority().isEmpty()) {
            return LocalityFailover.apply(proxyLocality, s.failover(), groups);
        }
        List<LocalityGroup> out = proxyHasLabels
                ? FailoverPriority.apply(proxyLabels, s.failoverPriority(), groups)
                : LocalityGroups.compact(groups);
        if (!s.failover().isEmpty()) {
            out = LocalityFailover.apply(proxyLocality, s.failover(), out);
        }
        return out;
    }
}

package io.zonemesh.model.istio;

import io.zonemesh.common.Nullable;
import java.util.List;

/**
 * {@code loadBalancer.zoneAwareLbSetting} (Istio 1.31, istio/api {@code ZoneAwareLoadBalancerSetting}):
 * Envoy's zone-aware routing against the caller's own service, instead of
 * {@code localityLbSetting}'s static priorities and weights.
 *
 * @param enabled null when unset, which counts as on; {@code false} turns Envoy's implicit
 *     zone-aware routing off ({@code routing_enabled: 0})
 * @param failover cross-region order: {@code from} the proxy's region {@code to} the next
 * @param failoverPriority label tiers applied before the region order
 * @param minClusterSize Envoy's {@code min_cluster_size}, null for Envoy's default (6)
 */
public record ZoneAwareLbSetting(
        @Nullable Boolean enabled,
        List<LocalityLbSetting.Failover> failover,
        List<String> failoverPriority,
        @Nullable Long minClusterSize) {

    public ZoneAwareLbSetting {
        failover = List.copyOf(failover);
        failoverPriority = List.copyOf(failoverPriority);
    }

    public boolean isDisabled() {
        return Boolean.FALSE.equals(enabled);
    }
}

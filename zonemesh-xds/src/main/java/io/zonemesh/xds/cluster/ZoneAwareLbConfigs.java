package io.zonemesh.xds.cluster;

import com.google.protobuf.UInt64Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.type.v3.Percent;
import io.zonemesh.model.istio.ZoneAwareLbSetting;

/**
 * {@code zoneAwareLbSetting} to {@code common_lb_config.zone_aware_lb_config}, Istio's
 * {@code ZoneAwareLBSettings.ApplyToCluster} (ZONE_AWARE.md §4): {@code enabled: false} sets
 * {@code routing_enabled} to 0 % (switching off Envoy's implicit zone-aware routing), otherwise
 * only {@code min_cluster_size} when given (Envoy's 6 when omitted). Istio emits only the legacy
 * CommonLbConfig message, so {@code force_local_zone} and {@code locality_basis} are never set.
 */
public final class ZoneAwareLbConfigs {
    private ZoneAwareLbConfigs() {}

    public static Cluster.CommonLbConfig.ZoneAwareLbConfig of(ZoneAwareLbSetting setting) {
        Cluster.CommonLbConfig.ZoneAwareLbConfig.Builder config = Cluster.CommonLbConfig.ZoneAwareLbConfig.newBuilder();
        if (setting.isDisabled()) {
            config.setRoutingEnabled(Percent.newBuilder().setValue(0));
        }
        if (setting.minClusterSize() != null) {
            config.setMinClusterSize(UInt64Value.of(setting.minClusterSize()));
        }
        return config.build();
    }
}

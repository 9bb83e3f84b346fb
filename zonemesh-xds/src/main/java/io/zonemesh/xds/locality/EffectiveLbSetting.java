package io.zonemesh.xds.locality;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshSettings;
import io.zonemesh.model.Service;
import io.zonemesh.model.istio.LocalityLbSetting;
import java.util.List;
import java.util.Objects;

/**
 * The locality setting that applies to one destination, Istio's {@code GetEffectiveLbSetting}
 * (LOCALITY.md §1.1, §1.7), and whether zonemesh's distribute-failover extension is on for it.
 *
 * @param force failover without outlier detection (Service {@code trafficDistribution})
 * @param distributeFailover the DestinationRule asked for {@link DistributeFailover}
 */
public record EffectiveLbSetting(LocalityLbSetting setting, Source source, boolean force, boolean distributeFailover) {

    /** Where the setting came from, for explanations. */
    public enum Source {
        DESTINATION_RULE,
        TRAFFIC_DISTRIBUTION,
        MESH
    }

    static final List<String> PREFER_CLOSE =
            List.of(TopologyLabels.NETWORK, TopologyLabels.REGION, TopologyLabels.ZONE);
    static final List<String> PREFER_SAME_NODE = List.of(
            TopologyLabels.NETWORK,
            TopologyLabels.REGION,
            TopologyLabels.ZONE,
            TopologyLabels.SUBZONE,
            TopologyLabels.HOSTNAME);

    public EffectiveLbSetting {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(source, "source");
    }

    /**
     * Resolves the setting: the DestinationRule's (merged subset/port) {@code localityLbSetting} in
     * its entirety unless {@code enabled: false} (then off, the mesh is not consulted); otherwise
     * the Service's {@code trafficDistribution} as a forced {@code failoverPriority}; otherwise the
     * mesh setting unless it is absent or {@code enabled: false}. Returns null when locality load
     * balancing is off. A DestinationRule's zoneAwareLbSetting wins over all of these ({@code OutboundCluster}).
     *
     * @param distributeFailover the DestinationRule carries {@value DistributeFailover#ANNOTATION}: "true"
     */
    public static @Nullable EffectiveLbSetting resolve(
            @Nullable LocalityLbSetting destinationRule,
            boolean distributeFailover,
            Service service,
            MeshSettings mesh) {
        if (destinationRule != null) {
            return destinationRule.isDisabled()
                    ? null
                    : new EffectiveLbSetting(destinationRule, Source.DESTINATION_RULE, false, distributeFailover);
        }
        List<String> labels = trafficDistributionLabels(service.trafficDistribution());
        if (labels != null) {
            return new EffectiveLbSetting(
                    new LocalityLbSetting(true, List.of(), List.of(), labels),
                    Source.TRAFFIC_DISTRIBUTION,
                    true,
                    false);
        }
        LocalityLbSetting meshSetting = mesh.localityLbSetting();
        if (meshSetting == null || meshSetting.isDisabled()) {
            return null;
        }
        return new EffectiveLbSetting(meshSetting, Source.MESH, false, false);
    }

    /**
     * The {@code failoverPriority} Istio synthesizes for a Service's {@code trafficDistribution}
     * (PR #54715, #55046, #56042), or null for {@code Any}, unset or unknown values.
     */
    public static @Nullable List<String> trafficDistributionLabels(@Nullable String trafficDistribution) {
        if (trafficDistribution == null) {
            return null;
        }
        switch (trafficDistribution) {
            case "PreferClose":
            case "PreferSameZone":
                return PREFER_CLOSE;
            case "PreferSameNode":
                return PREFER_SAME_NODE;
            default:
                return null;
        }
    }

    /** Failover applies: forced, or the DestinationRule has outlier detection (LOCALITY.md §2.1). */
    public boolean enableFailover(boolean destinationRuleHasOutlierDetection) {
        return force || destinationRuleHasOutlierDetection;
    }

    /**
     * Whether the cluster gets {@code common_lb_config.locality_weighted_lb_config}, Istio's rule
     * since 1.24 (PR #52898, LOCALITY.md §1.2): {@code distribute} is set, or failover is enabled
     * and {@code failover} or {@code failoverPriority} is non-empty. Default priorities alone do
     * not enable it, so LEAST_REQUEST stays cluster-wide within a priority (issues #39478, #47804).
     */
    public boolean localityWeighted(boolean enableFailover) {
        return !setting.distribute().isEmpty()
                || (enableFailover
                        && (!setting.failover().isEmpty()
                                || !setting.failoverPriority().isEmpty()));
    }
}

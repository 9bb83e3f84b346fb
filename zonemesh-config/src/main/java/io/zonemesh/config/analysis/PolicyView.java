package io.zonemesh.config.analysis;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.LoadBalancerSettings;
import io.zonemesh.model.istio.LocalityLbSetting;
import io.zonemesh.model.istio.OutlierDetection;
import io.zonemesh.model.istio.TrafficPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The traffic policy one Envoy cluster of a DestinationRule gets: the top-level policy, or a
 * subset's merged over it. Istio merges per field: a subset's {@code loadBalancer} replaces the
 * parent's whole {@code loadBalancer}, its {@code outlierDetection} the parent's.
 *
 * @param path where the policy is written ({@code spec.trafficPolicy} or
 *     {@code spec.subsets[1].trafficPolicy}); findings about it point there
 * @param subsetLabels the subset's labels, or null for the top level (all endpoints)
 * @param zoneAware the policy's {@code loadBalancer} sets {@code zoneAwareLbSetting} (Istio 1.31),
 *     which Istio applies with or without outlierDetection (ZONE_AWARE.md §4)
 */
record PolicyView(
        DestinationRuleConfig rule,
        String path,
        @Nullable Map<String, String> subsetLabels,
        @Nullable OutlierDetection outlierDetection,
        @Nullable LocalityLbSetting locality,
        String outlierPath,
        String localityPath,
        boolean zoneAware) {

    /** The top-level policy and one view per subset that has a policy of its own. */
    static List<PolicyView> of(DestinationRuleConfig dr) {
        List<PolicyView> out = new ArrayList<>();
        TrafficPolicy top = dr.trafficPolicy();
        out.add(new PolicyView(
                dr,
                "spec.trafficPolicy",
                null,
                od(top),
                locality(top),
                "spec.trafficPolicy.outlierDetection",
                "spec.trafficPolicy.loadBalancer.localityLbSetting",
                zoneAware(top)));
        for (int i = 0; i < dr.subsets().size(); i++) {
            DestinationRuleConfig.Subset s = dr.subsets().get(i);
            TrafficPolicy own = s.trafficPolicy();
            if (own == null) {
                continue;
            }
            String base = "spec.subsets[" + i + "].trafficPolicy";
            boolean ownOd = own.outlierDetection() != null;
            boolean ownLb = own.loadBalancer() != null;
            out.add(new PolicyView(
                    dr,
                    base,
                    s.labels(),
                    ownOd ? own.outlierDetection() : od(top),
                    ownLb ? locality(own) : locality(top),
                    ownOd ? base + ".outlierDetection" : "spec.trafficPolicy.outlierDetection",
                    (ownLb ? base : "spec.trafficPolicy") + ".loadBalancer.localityLbSetting",
                    zoneAware(ownLb ? own : top)));
        }
        return out;
    }

    /** Locality LB explicitly switched off ({@code enabled: false}, LOCALITY.md §1.7). */
    boolean localityDisabled() {
        return locality != null && locality.isDisabled();
    }

    boolean distributes() {
        return locality != null
                && !locality.isDisabled()
                && !locality.distribute().isEmpty();
    }

    boolean explicitFailover() {
        return locality != null
                && !locality.isDisabled()
                && (!locality.failover().isEmpty()
                        || !locality.failoverPriority().isEmpty());
    }

    /** The endpoints of this policy's cluster: the subset's, or all. */
    List<EndpointView> endpoints(ServiceView service) {
        if (subsetLabels == null) {
            return service.endpoints();
        }
        List<EndpointView> out = new ArrayList<>();
        for (EndpointView e : service.endpoints()) {
            if (MeshIndex.selects(subsetLabels, e.labels())) {
                out.add(e);
            }
        }
        return out;
    }

    private static @Nullable OutlierDetection od(@Nullable TrafficPolicy p) {
        return p == null ? null : p.outlierDetection();
    }

    private static boolean zoneAware(@Nullable TrafficPolicy p) {
        return p != null && p.loadBalancer() != null && p.loadBalancer().zoneAwareLbSetting() != null;
    }

    private static @Nullable LocalityLbSetting locality(@Nullable TrafficPolicy p) {
        LoadBalancerSettings lb = p == null ? null : p.loadBalancer();
        return lb == null ? null : lb.localityLbSetting();
    }
}

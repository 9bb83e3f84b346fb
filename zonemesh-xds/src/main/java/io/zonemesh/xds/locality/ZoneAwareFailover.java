package io.zonemesh.xds.locality;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's {@code ApplyZoneAwareLoadBalancer} and {@code applyZoneAwareRegionalFailover}
 * (pilot/pkg/networking/core/loadbalancer/loadbalancer.go; ZONE_AWARE.md §4): endpoint priorities
 * by region only, so that every zone of the proxy's region shares priority 0 and Envoy's
 * zone-aware routing balances between them. Applied with or without outlier detection.
 *
 * <p>Priority = {@code failoverPriority} tier × 3 + region bucket: 0 for the proxy's region, 1 for
 * the {@code to} of the first {@code failover} entry whose {@code from} is the proxy's region, 2
 * for any other; then compacted to 0..N.
 */
public final class ZoneAwareFailover {
    private static final int REGION_BUCKETS = 3;

    private ZoneAwareFailover() {}

    /**
     * Orders the groups into priorities for a zone-aware cluster.
     *
     * @param proxyLabels the proxy's labels with {@link TopologyLabels}, for {@code failoverPriority}
     * @param proxyHasLabels Istio skips {@code failoverPriority} for a proxy without labels
     */
    public static List<LocalityGroup> apply(
            ZoneAwareLbSetting setting,
            Locality proxyLocality,
            Map<String, String> proxyLabels,
            boolean proxyHasLabels,
            List<LocalityGroup> groups) {
        @Nullable String failoverTo = null;
        for (var f : setting.failover()) {
            if (f.from().equals(proxyLocality.region())) {
                failoverTo = f.to();
                break;
            }
        }
        boolean tiers = proxyHasLabels && !setting.failoverPriority().isEmpty();
        List<LocalityGroup> out = new ArrayList<>();
        for (LocalityGroup g : groups) {
            int bucket = regionBucket(g.locality().region(), proxyLocality.region(), failoverTo);
            Map<Integer, List<Endpoint>> byPriority = new TreeMap<>();
            for (Endpoint e : g.endpoints()) {
                int tier = tiers
                        ? FailoverPriority.priority(proxyLabels, setting.failoverPriority(), TopologyLabels.of(e))
                        : 0;
                if (LocalityReasons.active()) {
                    LocalityReasons.endpoint(
                            e,
                            "zoneAwareLbSetting: region bucket " + bucket
                                    + (bucket == 0
                                            ? " (proxy's region; zones share the priority, Envoy zone-aware routing balances them)"
                                            : bucket == 1 ? " (failover to " + failoverTo + ")" : " (other region)")
                                    + (tiers ? ", failoverPriority tier " + tier : ""));
                }
                byPriority
                        .computeIfAbsent(tier * REGION_BUCKETS + bucket, k -> new ArrayList<>())
                        .add(e);
            }
            byPriority.forEach((p, members) ->
                    out.add(LocalityGroup.of(g.locality(), members).withPriority(p)));
        }
        return LocalityGroups.compact(out);
    }

    private static int regionBucket(String region, String proxyRegion, @Nullable String failoverTo) {
        if (region.equals(proxyRegion)) {
            return 0;
        }
        return region.equals(failoverTo) ? 1 : 2;
    }
}

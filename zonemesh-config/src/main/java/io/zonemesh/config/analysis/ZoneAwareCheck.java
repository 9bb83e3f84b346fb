package io.zonemesh.config.analysis;

import io.zonemesh.common.Nullable;
import io.zonemesh.config.DiagnosticCode;
import io.zonemesh.model.Locality;
import io.zonemesh.model.istio.DestinationRuleConfig;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ZM0210: a top-level {@code zoneAwareLbSetting} Envoy will not act on (ZONE_AWARE.md §1, early exits).
 * Per region where meshed callers run: fewer of the service's endpoints there than
 * {@code minClusterSize} (Envoy's default 6; same-region zones share priority 0), or caller
 * Deployments whose pods in that region sit in a single zone, so their {@code local_cluster}
 * (the proxy's own Deployment in its region) has one locality. Endpoints count as healthy: the
 * analyzer sees no readiness.
 */
final class ZoneAwareCheck implements Check {
    /** Envoy's {@code min_cluster_size} default. */
    static final long ENVOY_MIN_CLUSTER_SIZE = 6;

    private static final String FIELD = "spec.trafficPolicy.loadBalancer.zoneAwareLbSetting";

    @Override
    public void run(MeshIndex mesh, Findings findings) {
        for (ServiceView service : mesh.services()) {
            for (DestinationRuleConfig dr : mesh.rulesFor(service)) {
                ZoneAwareLbSetting setting = setting(dr.trafficPolicy());
                if (setting != null && !setting.isDisabled()) {
                    check(mesh, service, dr, setting, findings);
                }
            }
        }
    }

    private static void check(
            MeshIndex mesh,
            ServiceView service,
            DestinationRuleConfig dr,
            ZoneAwareLbSetting setting,
            Findings findings) {
        long min = setting.minClusterSize() == null ? ENVOY_MIN_CLUSTER_SIZE : setting.minClusterSize();
        Map<String, Integer> endpointsByRegion = new TreeMap<>();
        service.endpoints().forEach(e -> endpointsByRegion.merge(e.locality().region(), 1, Integer::sum));
        // region -> caller Deployment -> the zones its pods run in
        Map<String, Map<String, Set<Locality>>> callers = new TreeMap<>();
        for (PodView p : mesh.meshedCallers(service)) {
            callers.computeIfAbsent(p.locality().region(), r -> new LinkedHashMap<>())
                    .computeIfAbsent(p.namespace() + "/" + p.owner().name(), o -> new LinkedHashSet<>())
                    .add(p.locality());
        }
        for (Map.Entry<String, Map<String, Set<Locality>>> region : callers.entrySet()) {
            int endpoints = endpointsByRegion.getOrDefault(region.getKey(), 0);
            if (endpoints < min) {
                findings.add(
                        DiagnosticCode.ZONE_AWARE_INEFFECTIVE,
                        dr.meta(),
                        FIELD,
                        service.host() + " has "
                                + endpoints + " endpoint(s) in region '" + region.getKey()
                                + "', fewer than minClusterSize "
                                + min + (setting.minClusterSize() == null ? " (Envoy's default)" : "") + ", so Envoy "
                                + "balances the callers there without zone awareness (lb_zone_cluster_too_small) (expected: "
                                + "minClusterSize <= " + Math.max(1, endpoints) + ")");
                continue;
            }
            Set<String> singleZone = new TreeSet<>();
            region.getValue().forEach((owner, zones) -> {
                if (zones.size() < 2) {
                    singleZone.add(owner);
                }
            });
            if (!singleZone.isEmpty()) {
                findings.add(
                        DiagnosticCode.ZONE_AWARE_INEFFECTIVE,
                        dr.meta(),
                        FIELD,
                        "callers " + singleZone
                                + " of " + service.host() + " each run in one zone of region '" + region.getKey()
                                + "'; a "
                                + "proxy's local_cluster holds only its own Deployment's pods, so theirs has one zone and "
                                + "Envoy does not route zone-aware for them (expected: one Deployment spread over the zones)");
            }
        }
    }

    private static @Nullable ZoneAwareLbSetting setting(@Nullable TrafficPolicy policy) {
        return policy == null || policy.loadBalancer() == null
                ? null
                : policy.loadBalancer().zoneAwareLbSetting();
    }
}

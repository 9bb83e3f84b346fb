package io.zonemesh.xds;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import io.zonemesh.model.NetworkGateways;
import io.zonemesh.model.istio.ZoneAwareLbSetting;
import io.zonemesh.xds.locality.EffectiveLbSetting;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers generated ClusterLoadAssignments by everything they are computed from (the cluster's
 * name and endpoints, which endpoints get mutual TLS, its effective locality setting, whether failover is on, and the calling
 * group's locality, labels and overprovisioning support), so that after a mesh change only the
 * assignments whose inputs changed are rendered again, and the unchanged ones stay the same
 * instances (whose hashes and packed forms the control plane keeps). Entries not used during one
 * generation are dropped at the next: memory stays at what the last mesh version needed.
 * Thread-safe: groups may be generated in parallel.
 */
public final class LoadAssignmentCache {
    private volatile Map<Key, ClusterLoadAssignment> previous = Map.of();
    private volatile Map<Key, ClusterLoadAssignment> current = new ConcurrentHashMap<>();

    /** Starts a new generation (a new mesh version); call when no generation is running. */
    public void nextGeneration() {
        previous = current;
        current = new ConcurrentHashMap<>();
    }

    /** Number of assignments kept for the current generation. */
    public int size() {
        return current.size();
    }

    ClusterLoadAssignment get(Key key, Supplier<ClusterLoadAssignment> render) {
        Map<Key, ClusterLoadAssignment> now = current;
        ClusterLoadAssignment found = now.get(key);
        if (found == null) {
            found = previous.get(key);
            if (found == null) {
                found = render.get();
            }
            ClusterLoadAssignment raced = now.putIfAbsent(key, found);
            if (raced != null) {
                found = raced;
            }
        }
        return found;
    }

    /** The inputs of one assignment; records compare by content. */
    record Key(
            String cluster,
            String proxyNetwork,
            List<String> networkView,
            NetworkGateways gateways,
            @Nullable EffectiveLbSetting locality,
            boolean failover,
            @Nullable ZoneAwareLbSetting zoneAware,
            Locality proxyLocality,
            Map<String, String> proxyLabels,
            boolean hasLabels,
            boolean noOverprovisioning,
            List<Endpoint> endpoints,
            /* Whether each endpoint is sent mTLS: PeerAuthentications change it, not the endpoints. */
            List<Boolean> mtls) {}
}

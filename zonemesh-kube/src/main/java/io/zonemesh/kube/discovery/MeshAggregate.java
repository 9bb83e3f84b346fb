package io.zonemesh.kube.discovery;

import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.model.NetworkGateway;
import io.zonemesh.registry.EndpointSlices;
import io.zonemesh.registry.MeshRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one registry fed by several clusters (istiod's aggregate registry): each cluster's
 * {@link KubeDiscovery} publishes its state here under its cluster ID, and every change
 * republishes the merge ({@link ClusterMerge}) of the local cluster and the remote ones, local
 * first, remotes by cluster ID. Thread-safe: publishes are serialized.
 */
public final class MeshAggregate {
    private static final Logger log = LoggerFactory.getLogger(MeshAggregate.class);

    private final MeshRegistry registry;
    private final String localClusterId;
    private final String systemNamespace;
    /** Guarded by this. Remote clusters by ID; the local one is kept apart so it always comes first. */
    private final Map<String, ClusterMerge.ClusterState> remotes = new TreeMap<>();
    /** Guarded by this. */
    private ClusterMerge.@io.zonemesh.common.Nullable ClusterState local;
    /** Every cluster's network gateways as of the last merge; read by the registry under its lock. */
    private volatile List<NetworkGateway> gateways = List.of();

    /**
     * @param localClusterId the control plane's own cluster ({@code --cluster-id}, istiod's CLUSTER_ID)
     * @param systemNamespace the namespace whose {@code topology.istio.io/network} label gives each
     *     cluster's network (istiod's system namespace)
     */
    public MeshAggregate(MeshRegistry registry, String localClusterId, String systemNamespace) {
        this.registry = registry;
        this.localClusterId = localClusterId;
        this.systemNamespace = systemNamespace;
        // The registry finds gateways in the merged Services, which keep one Service per name and
        // credit it to the local cluster; the merge's per-cluster gateways replace them.
        registry.mergeRemoteClusters(state -> state.withNetworkGateways(gateways));
    }

    public String localClusterId() {
        return localClusterId;
    }

    /** Where {@code clusterId}'s discovery publishes. */
    public KubeDiscovery.Sink sink(String clusterId) {
        return (bundle, slices) -> put(clusterId, bundle, slices);
    }

    /** Replaces one cluster's state and republishes the merge. */
    public synchronized void put(String clusterId, MeshConfigBundle bundle, EndpointSlices slices) {
        ClusterMerge.ClusterState state = new ClusterMerge.ClusterState(clusterId, bundle, slices);
        if (clusterId.equals(localClusterId)) {
            local = state;
        } else {
            remotes.put(clusterId, state);
        }
        publish();
    }

    /** Removes a remote cluster's services and endpoints (its secret or key was deleted). */
    public synchronized void remove(String clusterId) {
        if (remotes.remove(clusterId) != null) {
            log.info("cluster {} removed from the registry", clusterId);
            publish();
        }
    }

    /** The remote clusters whose state is in the registry. */
    public synchronized List<String> remoteClusters() {
        return List.copyOf(remotes.keySet());
    }

    private void publish() {
        List<ClusterMerge.ClusterState> states = new ArrayList<>(remotes.size() + 1);
        if (local != null) {
            states.add(local);
        }
        states.addAll(remotes.values());
        ClusterMerge.Merged merged = ClusterMerge.merge(states, localClusterId, systemNamespace);
        gateways = merged.gateways();
        registry.apply(merged.bundle(), merged.slices());
    }
}

package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Workload;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.xds.ProxyGroupKey;
import io.zonemesh.xds.ProxyIdentities;
import io.zonemesh.xds.ProxyIdentity;
import io.zonemesh.xds.XdsGenerator;
import io.zonemesh.xds.XdsResources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a proxy's resources with {@link XdsGenerator}, generating the outbound half once per
 * {@link ProxyGroupKey} and mesh version, so a push to a thousand proxies in three zones runs the
 * generators a handful of times. Confined to the push thread.
 */
final class XdsSnapshotFactory implements SnapshotFactory {
    private static final Logger log = LoggerFactory.getLogger(XdsSnapshotFactory.class);

    private final MeshRegistry registry;
    private final XdsGenerator generator = new XdsGenerator();
    private final Map<ProxyGroupKey, ResourceSet> outboundByGroup = new HashMap<>();
    private Map<String, Workload> workloadsByName = Map.of();
    private final Set<String> warnings = new TreeSet<>();
    private volatile List<String> publishedWarnings = List.of();
    private long cachedVersion = -1;

    XdsSnapshotFactory(MeshRegistry registry) {
        this.registry = registry;
    }

    @Override
    public ProxyResources build(MeshState state, Node node) {
        if (state.version() != cachedVersion) {
            outboundByGroup.clear();
            warnings.clear();
            cachedVersion = state.version();
            Map<String, Workload> index = new HashMap<>();
            for (Workload w : state.workloads()) {
                index.putIfAbsent(w.namespace() + "/" + w.name(), w);
            }
            workloadsByName = index;
        }
        ProxyIdentity proxy = identity(state, node);
        ResourceSet outbound = outboundByGroup.computeIfAbsent(ProxyGroupKey.of(state, proxy), group -> {
            XdsResources generated = generator.outbound(state, group);
            for (String w : generated.warnings()) {
                if (warnings.add(w)) {
                    // What the generator left out so the rest stays valid; users also see it in /debug/mesh.
                    log.warn("mesh version {}: {}", state.version(), w);
                }
            }
            publishedWarnings = List.copyOf(warnings);
            // Hashed once per group: every proxy of the group shares these resource instances, so
            // the ADS server's identity-keyed serializer also packs them once.
            return ResourceSet.of(generated);
        });
        XdsResources inbound = generator.inbound(state, proxy);
        return new ProxyResources(outbound, inbound.equals(XdsResources.EMPTY) ? ResourceSet.EMPTY
                : ResourceSet.of(inbound));
    }

    /** What generation left out for the current mesh version (routes to missing subsets, ...). */
    List<String> warnings() {
        return publishedWarnings;
    }

    /** Number of outbound generations cached for the current mesh version (for tests and status). */
    int cachedGroups() {
        return outboundByGroup.size();
    }

    private ProxyIdentity identity(MeshState state, Node node) {
        String namespace = node.getMetadata().getFieldsOrDefault("NAMESPACE",
                com.google.protobuf.Value.getDefaultInstance()).getStringValue();
        String name = node.getMetadata().getFieldsOrDefault("NAME",
                com.google.protobuf.Value.getDefaultInstance()).getStringValue();
        Workload workload = workloadsByName.get(namespace + "/" + name);
        PodInstance pod = registry.pod(namespace, name);
        Map<Integer, String> appPorts = pod == null ? Map.of() : registry.applicationPorts(pod);
        return ProxyIdentities.fromNode(node, workload, state.settings(), appPorts);
    }
}

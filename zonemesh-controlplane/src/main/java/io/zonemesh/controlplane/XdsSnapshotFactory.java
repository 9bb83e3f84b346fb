package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.config.placement.PodInstance;
import io.zonemesh.model.MeshState;
import io.zonemesh.model.Workload;
import io.zonemesh.registry.MeshRegistry;
import io.zonemesh.xds.LoadAssignmentCache;
import io.zonemesh.xds.ProxyGroupKey;
import io.zonemesh.xds.ProxyIdentities;
import io.zonemesh.xds.ProxyIdentity;
import io.zonemesh.xds.XdsGenerator;
import io.zonemesh.xds.XdsResources;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
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
    private final Executor generators;
    private final LoadAssignmentCache loadAssignments = new LoadAssignmentCache();
    private final XdsGenerator generator = new XdsGenerator(loadAssignments);
    /** The previous mesh version's groups: unchanged assignments keep their hashes from there. */
    private Map<ProxyGroupKey, ResourceSet> previousGroups = Map.of();

    private final Map<ProxyGroupKey, ResourceSet> outboundByGroup = new HashMap<>();
    /** By node instance: the connected proxies' nodes are the same objects for a whole push. */
    private final java.util.IdentityHashMap<Node, ProxyIdentity> identities = new java.util.IdentityHashMap<>();

    private Map<String, ResourceSet> inboundBefore = new HashMap<>();
    private Map<String, ResourceSet> inboundNow = new HashMap<>();
    private Map<String, Workload> workloadsByName = Map.of();
    private final Set<String> warnings = new TreeSet<>();
    private volatile List<String> publishedWarnings = List.of();
    private long cachedVersion = -1;

    XdsSnapshotFactory(MeshRegistry registry) {
        this(registry, Runnable::run);
    }

    /** {@code generators} runs the outbound generation of distinct groups in parallel in {@link #prepare}. */
    XdsSnapshotFactory(MeshRegistry registry, Executor generators) {
        this.registry = registry;
        this.generators = generators;
    }

    @Override
    public ProxyResources build(MeshState state, Node node) {
        useVersion(state);
        ProxyIdentity proxy = identity(state, node);
        ResourceSet outbound = outboundByGroup.computeIfAbsent(
                ProxyGroupKey.of(state, proxy),
                group -> publish(state, ResourceSet.of(generator.outbound(state, group), previousGroups.get(group))));
        return new ProxyResources(outbound, inbound(state, node, proxy));
    }

    /**
     * The proxy's own resources, reusing the previous version's set (its hashes, and the packed
     * {@code Any}s the serializer keeps for those instances) when they came out equal, as they
     * do for almost every proxy when an endpoint elsewhere changes.
     */
    private ResourceSet inbound(MeshState state, Node node, ProxyIdentity proxy) {
        XdsResources inbound = generator.inbound(state, proxy);
        if (inbound.equals(XdsResources.EMPTY)) {
            return ResourceSet.EMPTY;
        }
        ResourceSet previous = inboundNow.get(node.getId());
        if (previous == null) {
            previous = inboundBefore.get(node.getId());
        }
        ResourceSet set = previous != null && previous.resources().equals(inbound) ? previous : ResourceSet.of(inbound);
        inboundNow.put(node.getId(), set);
        return set;
    }

    /**
     * Generates the outbound resources of every group among {@code nodes} that is not cached yet,
     * the groups in parallel (generation and hashing of a group's 1,000
     * assignments is most of a push's CPU), so that the {@link #build} calls that follow only
     * assemble. Generation failures are left for {@code build} to meet and report per proxy.
     */
    @Override
    public void prepare(MeshState state, List<Node> nodes) {
        useVersion(state);
        Map<ProxyGroupKey, CompletableFuture<ResourceSet>> pending = new LinkedHashMap<>();
        for (Node node : nodes) {
            ProxyGroupKey key;
            try {
                key = ProxyGroupKey.of(state, identity(state, node));
            } catch (RuntimeException e) {
                continue;
            }
            if (!outboundByGroup.containsKey(key) && !pending.containsKey(key)) {
                pending.put(
                        key,
                        CompletableFuture.supplyAsync(
                                () -> ResourceSet.of(generator.outbound(state, key), previousGroups.get(key)),
                                generators));
            }
        }
        for (Map.Entry<ProxyGroupKey, CompletableFuture<ResourceSet>> e : pending.entrySet()) {
            try {
                outboundByGroup.put(e.getKey(), publish(state, e.getValue().join()));
            } catch (RuntimeException failed) {
                log.debug("outbound generation of a group failed; build will retry and report it", failed);
            }
        }
    }

    private void useVersion(MeshState state) {
        if (state.version() != cachedVersion) {
            previousGroups = Map.copyOf(outboundByGroup);
            outboundByGroup.clear();
            loadAssignments.nextGeneration();
            identities.clear();
            // Two versions' worth at most: what connected proxies were last given.
            inboundBefore = inboundNow;
            inboundNow = new HashMap<>();
            warnings.clear();
            cachedVersion = state.version();
            Map<String, Workload> index = new HashMap<>();
            for (Workload w : state.workloads()) {
                index.putIfAbsent(w.namespace() + "/" + w.name(), w);
            }
            workloadsByName = index;
        }
    }

    /**
     * Records a group's warnings. Its resources were hashed once for the whole group: every proxy
     * of the group shares these instances, so the ADS server's identity-keyed serializer also packs
     * them once.
     */
    private ResourceSet publish(MeshState state, ResourceSet generated) {
        for (String w : generated.resources().warnings()) {
            if (warnings.add(w)) {
                // What the generator left out so the rest stays valid; users also see it in /debug/mesh.
                log.warn("mesh version {}: {}", state.version(), w);
            }
        }
        publishedWarnings = List.copyOf(warnings);
        return generated;
    }

    /** What generation left out for the current mesh version (routes to missing subsets, ...). */
    List<String> warnings() {
        return publishedWarnings;
    }

    /** Number of outbound generations cached for the current mesh version (for tests and status). */
    int cachedGroups() {
        return outboundByGroup.size();
    }

    /** The proxy's identity, computed once per node and mesh version (prepare and build both need it). */
    private ProxyIdentity identity(MeshState state, Node node) {
        ProxyIdentity known = identities.get(node);
        if (known == null) {
            known = computeIdentity(state, node);
            identities.put(node, known);
        }
        return known;
    }

    private ProxyIdentity computeIdentity(MeshState state, Node node) {
        String namespace = node.getMetadata()
                .getFieldsOrDefault("NAMESPACE", com.google.protobuf.Value.getDefaultInstance())
                .getStringValue();
        String name = node.getMetadata()
                .getFieldsOrDefault("NAME", com.google.protobuf.Value.getDefaultInstance())
                .getStringValue();
        Workload workload = workloadsByName.get(namespace + "/" + name);
        PodInstance pod = registry.pod(namespace, name);
        Map<Integer, String> appPorts = pod == null ? Map.of() : registry.applicationPorts(pod);
        return ProxyIdentities.fromNode(node, workload, state.settings(), appPorts);
    }
}

package io.zonemesh.controlplane;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import io.zonemesh.registry.MeshRegistry;
import java.util.List;

/**
 * The control plane's per-proxy push path ({@link XdsPusher} over {@link XdsSnapshotFactory} and a
 * java-control-plane {@link SimpleCache}), opened to the benchmarks so they time the production
 * code rather than a copy of it. It lives in the control plane's package because those classes
 * are package-private; it is a benchmark harness, not API. Confined to one thread, like the push
 * thread it stands in for.
 */
public final class BenchPushPath {
    private final SimpleCache<String> cache = new SimpleCache<>(Node::getId);
    private final XdsSnapshotFactory factory;
    private final XdsPusher pusher;

    public BenchPushPath(MeshRegistry registry) {
        this.factory = new XdsSnapshotFactory(registry);
        // No proxy is "connected": pushAll only moves the pusher to a new state, push(node) does the work.
        this.pusher = new XdsPusher(cache, factory, List::of, registry.state());
    }

    /** Makes {@code state} current, as a debounced change does before pushing to every proxy. */
    public void useState(MeshState state) {
        pusher.pushAll(state);
    }

    /**
     * One proxy's push: identity, outbound resources of its group (generated on a miss, reused on
     * a hit), its inbound resources, the per-type content hashes and the cache snapshot.
     */
    public void push(Node node) {
        pusher.push(node);
    }

    /** Only the resource computation of {@link #push}, without hashing and snapshotting. */
    public int build(MeshState state, Node node) {
        ProxyResources r = factory.build(state, node);
        return r.listeners().size() + r.routes().size() + r.clusters().size() + r.endpoints().size();
    }

    /** The content hash the pusher uses as a type's version. */
    public static String version(List<? extends com.google.protobuf.Message> resources) {
        return ContentVersions.hash(resources);
    }

    /** Outbound groups generated for the current state. */
    public int cachedGroups() {
        return factory.cachedGroups();
    }

    /** The snapshot last pushed to {@code nodeId}, or null when its generation failed or never ran. */
    public @Nullable Snapshot snapshot(String nodeId) {
        return cache.getSnapshot(nodeId);
    }
}

package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.model.MeshState;
import io.zonemesh.registry.MeshRegistry;
import java.util.List;

/**
 * The control plane's per-proxy push path ({@link XdsPusher} over {@link XdsSnapshotFactory} and the
 * control plane's {@link XdsCache}), opened to the benchmarks so they time the production
 * code rather than a copy of it. It lives in the control plane's package because those classes
 * are package-private; it is a benchmark harness, not API. Confined to one thread, like the push
 * thread it stands in for.
 */
public final class BenchPushPath {
    private final XdsCache cache = new XdsCache();
    private final XdsSnapshotFactory factory;
    private final XdsPusher pusher;

    public BenchPushPath(MeshRegistry registry) {
        this.factory = new XdsSnapshotFactory(registry);
        // No proxy is "connected": pushAll only moves the pusher to a new state, push(node) does the work.
        this.pusher = new XdsPusher(cache, factory, List::of, registry.state(), io.zonemesh.common.Clock.system());
    }

    /** Makes {@code state} current, as a debounced change does before pushing to every proxy. */
    public void useState(MeshState state) {
        pusher.pushAll(state);
    }

    /**
     * One proxy's push: identity, outbound resources of its group (generated on a miss, reused on
     * a hit), its inbound resources, the per-type content hashes and the cache entry.
     */
    public void push(Node node) {
        pusher.push(new AdsConnection(node.getId(), node));
    }

    /** Only the resource computation of {@link #push}, without hashing and snapshotting. */
    public int build(MeshState state, Node node) {
        ProxyResources r = factory.build(state, node);
        return r.listeners().size()
                + r.routes().size()
                + r.clusters().size()
                + r.endpoints().size();
    }

    /** The content hash the pusher uses as a type's version. */
    public static String version(List<? extends com.google.protobuf.Message> resources) {
        return ResourceSet.hash(resources);
    }

    /** Outbound groups generated for the current state. */
    public int cachedGroups() {
        return factory.cachedGroups();
    }

    /** Whether a config was pushed to {@code nodeId} (false when its generation failed or never ran). */
    public boolean pushed(String nodeId) {
        return cache.snapshot(nodeId) != null;
    }
}

package io.zonemesh.controlplane;

import io.zonemesh.common.Clock;
import io.zonemesh.model.MeshState;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes and publishes each connected proxy's resources. Runs on the push thread only.
 * Versions are content hashes per resource type (computed by the factory once per proxy group),
 * so a type whose resources did not change is not resent (no needless listener drains), and the
 * cache sends only the RDS and EDS resources that changed.
 */
final class XdsPusher {
    private static final Logger log = LoggerFactory.getLogger(XdsPusher.class);

    private final XdsCache cache;
    private final SnapshotFactory factory;
    private final Supplier<List<AdsConnection>> connected;
    private final Clock clock;
    private volatile MeshState state;
    private volatile long pushes;
    private volatile long pushedVersion;

    XdsPusher(
            XdsCache cache,
            SnapshotFactory factory,
            Supplier<List<AdsConnection>> connected,
            MeshState initial,
            Clock clock) {
        this.clock = clock;
        this.cache = cache;
        this.factory = factory;
        this.connected = connected;
        this.state = initial;
    }

    MeshState state() {
        return state;
    }

    long pushes() {
        return pushes;
    }

    /** The mesh version of the last completed push to all connected proxies (0 before any). */
    long pushedVersion() {
        return pushedVersion;
    }

    /** A new mesh state: regenerate every connected proxy. */
    // Only the push thread writes pushes; volatile is for the readers (debug page, tests).
    @SuppressWarnings("NonAtomicVolatileUpdate")
    void pushAll(MeshState next) {
        long start = clock.nanoTime();
        state = next;
        List<AdsConnection> connections = connected.get();
        factory.prepare(next, connections.stream().map(AdsConnection::node).toList());
        for (AdsConnection c : connections) {
            push(c);
        }
        pushes++;
        pushedVersion = next.version();
        // Like Istio's "Push debounce stable" / push-time logging: how long computing the push took.
        log.info(
                "mesh version {}: configs of {} connections computed in {} ms",
                next.version(),
                connections.size(),
                (clock.nanoTime() - start) / 1_000_000);
    }

    /**
     * One connection, for example one that just opened: its config is generated from the node it
     * announced and published under its connection id only. Exceptions never escape the push thread.
     */
    void push(AdsConnection connection) {
        try {
            cache.setSnapshot(connection.id(), factory.build(state, connection.node()));
        } catch (RuntimeException e) {
            log.error(
                    "could not generate config for proxy {} (connection {}); it keeps its previous config",
                    connection.nodeId(),
                    connection.id(),
                    e);
        }
    }
}

package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.model.MeshState;

/** Computes a proxy's resources from the mesh; implementations share work across a proxy group. */
interface SnapshotFactory {
    ProxyResources build(MeshState state, Node node);

    /** Optionally does, before a push to {@code nodes}, work that {@link #build} would otherwise do serially. */
    default void prepare(MeshState state, java.util.List<Node> nodes) {}
}

package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.zonemesh.model.MeshState;

/** Computes a proxy's resources from the mesh; implementations share work across a proxy group. */
interface SnapshotFactory {
    ProxyResources build(MeshState state, Node node);
}

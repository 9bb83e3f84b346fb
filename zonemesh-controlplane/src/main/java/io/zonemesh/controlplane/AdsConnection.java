package io.zonemesh.controlplane;

import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Objects;

/**
 * One ADS stream, the unit all xDS state is kept per: istiod's {@code Connection}, whose id is
 * {@code <node id>-<counter>} ({@code connectionID} in pilot/pkg/xds/ads.go). Two streams that
 * claim the same node id are two connections: neither changes what the other is sent.
 *
 * @param id the connection id, unique for the control plane's life
 * @param node what the client announced on the stream's first request, the input of generation
 */
record AdsConnection(String id, Node node) {
    AdsConnection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
    }

    /** The proxy's node id (not unique: several connections may claim it). */
    String nodeId() {
        return node.getId();
    }
}

package io.zonemesh.xds;

import io.zonemesh.xds.scope.VirtualServiceLookup;
import java.util.Set;

/**
 * Where VirtualService routes are rendered.
 *
 * @param port the port requests arrive on: the service port of a sidecar virtual host, the server
 *     port of a gateway; {@code match.port} is compared with it and it is the default destination port
 * @param gatewayNames the gateways the routes are for ({@code mesh} for sidecars,
 *     {@code namespace/name} for a gateway server), which {@code match.gateways} selects on
 * @param tls requests arrive over TLS (an HTTPS gateway server), for port-only redirects
 */
record RouteContext(int port, Set<String> gatewayNames, boolean tls) {
    RouteContext {
        gatewayNames = Set.copyOf(gatewayNames);
    }

    /** A sidecar's virtual host on {@code port}. */
    static RouteContext mesh(int port) {
        return new RouteContext(port, Set.of(VirtualServiceLookup.MESH_GATEWAY), false);
    }
}

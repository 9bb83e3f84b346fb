package io.zonemesh.xds;

import io.zonemesh.model.MeshState;
import java.util.List;

/**
 * Translates a mesh snapshot and a proxy into Envoy xDS v3 resources. Pure and thread-safe: the
 * same inputs always give equal output.
 *
 * <p>Outbound resources depend only on the proxy's {@link ProxyGroupKey}, so the caller can
 * generate them once per group and cache them; inbound resources depend on the workload itself.
 */
public final class XdsGenerator {

    /** Outbound and inbound resources of one proxy. */
    public XdsResources generate(MeshState state, ProxyIdentity proxy) {
        return outbound(state, ProxyGroupKey.of(state, proxy)).plus(inbound(state, proxy));
    }

    /** Outbound resources of the proxy's group. */
    public XdsResources outbound(MeshState state, ProxyIdentity proxy) {
        return outbound(state, ProxyGroupKey.of(state, proxy));
    }

    /**
     * Outbound resources of a proxy group: the {@code virtualOutbound} listener, the
     * {@code http_proxy} routes, outbound clusters and their load assignments.
     */
    public XdsResources outbound(MeshState state, ProxyGroupKey group) {
        OutboundScope scope = new OutboundScope(state, group);
        return new XdsResources(
                List.of(ListenerGenerator.virtualOutbound()),
                List.of(RouteGenerator.httpProxy(scope)),
                ClusterGenerator.outbound(scope),
                EndpointGenerator.generate(scope));
    }

    /**
     * Inbound resources of one workload: the {@code virtualInbound} listener and one
     * {@code inbound|<port>||} cluster per application port. Gateways ({@code ROUTER}) have none.
     */
    public XdsResources inbound(MeshState state, ProxyIdentity proxy) {
        if (proxy.proxyType() == ProxyIdentity.ProxyType.ROUTER) {
            return XdsResources.EMPTY;
        }
        return new XdsResources(List.of(ListenerGenerator.virtualInbound(proxy)), List.of(),
                ClusterGenerator.inbound(state, proxy), List.of());
    }
}

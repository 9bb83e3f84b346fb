package io.zonemesh.xds;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.zonemesh.common.Nullable;
import io.zonemesh.model.MeshState;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a mesh snapshot and a proxy into Envoy xDS v3 resources. Thread-safe, and pure but for
 * an optional cache of load assignments: the same inputs always give equal output.
 *
 * <p>Outbound resources depend only on the proxy's {@link ProxyGroupKey}, so the caller can
 * generate them once per group and cache them; inbound resources depend on the workload itself.
 * Three kinds of proxy get different shapes (docs/XDS_SHAPES.md): sidecars, gateways
 * ({@code ROUTER}, which also get the listeners and routes of the Gateway servers they serve) and
 * proxyless gRPC clients (which get {@code api_listener}s instead of the sidecar listeners).
 */
public final class XdsGenerator {
    private final @Nullable LoadAssignmentCache loadAssignments;

    /** A generator that renders everything on every call. */
    public XdsGenerator() {
        this(null);
    }

    /**
     * A generator that takes unchanged ClusterLoadAssignments from {@code loadAssignments} (the
     * same instances) instead of rendering them again; the output is equal either way.
     */
    public XdsGenerator(@Nullable LoadAssignmentCache loadAssignments) {
        this.loadAssignments = loadAssignments;
    }

    /** Outbound and inbound resources of one proxy. */
    public XdsResources generate(MeshState state, ProxyIdentity proxy) {
        return outbound(state, ProxyGroupKey.of(state, proxy)).plus(inbound(state, proxy));
    }

    /** Outbound resources of the proxy's group. */
    public XdsResources outbound(MeshState state, ProxyIdentity proxy) {
        return outbound(state, ProxyGroupKey.of(state, proxy));
    }

    /**
     * Outbound resources of a proxy group: listeners and routes (the {@code virtualOutbound} listener
     * and {@code http_proxy} routes; for gateways also those of their Gateway servers; for gRPC clients
     * instead their {@code api_listener}s and per-service routes), outbound clusters and their load
     * assignments, and the warnings of the generation.
     */
    public XdsResources outbound(MeshState state, ProxyGroupKey group) {
        OutboundScope scope = new OutboundScope(state, group);
        List<Listener> listeners = new ArrayList<>();
        List<RouteConfiguration> routes = new ArrayList<>();
        if (scope.grpc()) {
            listeners.addAll(GrpcGenerator.listeners(scope));
            routes.addAll(GrpcGenerator.routes(scope));
        } else {
            listeners.add(ListenerGenerator.virtualOutbound());
            routes.add(RouteGenerator.httpProxy(scope));
            if (group.proxyType() == ProxyIdentity.ProxyType.ROUTER) {
                List<GatewayServers.Port> ports = GatewayServers.of(scope);
                listeners.addAll(GatewayListenerGenerator.generate(scope, ports));
                routes.addAll(GatewayRouteGenerator.generate(scope, ports));
            }
        }
        var clusters = ClusterGenerator.outbound(scope);
        var endpoints = EndpointGenerator.generate(scope, loadAssignments);
        List<Listener> logged = scope.grpc()
                ? listeners
                : AccessLogGenerator.attach(
                        listeners, TelemetryResolution.accessLogs(state, group.namespace(), group.labels()));
        return new XdsResources(logged, routes, clusters, endpoints, scope.warnings());
    }

    /**
     * Inbound resources of one workload: the {@code virtualInbound} listener, one
     * {@code inbound|<port>||} cluster per application port, and the {@code local_cluster} with its
     * assignment when zone-aware routing is in use ({@link LocalClusterGenerator}). Gateways ({@code ROUTER}) and proxyless
     * gRPC clients (no proxy to receive for them) have none.
     */
    public XdsResources inbound(MeshState state, ProxyIdentity proxy) {
        if (proxy.proxyType() == ProxyIdentity.ProxyType.ROUTER || proxy.doesNotSupportOverprovisioning()) {
            return XdsResources.EMPTY;
        }
        return new XdsResources(
                        AccessLogGenerator.attach(
                                List.of(ListenerGenerator.virtualInbound(state, proxy)),
                                TelemetryResolution.accessLogs(state, proxy.namespace(), proxy.labels())),
                        List.of(),
                        ClusterGenerator.inbound(state, proxy),
                        List.of())
                .plus(LocalClusterGenerator.generate(state, proxy));
    }
}

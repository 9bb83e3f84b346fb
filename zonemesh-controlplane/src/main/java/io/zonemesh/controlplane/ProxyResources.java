package io.zonemesh.controlplane;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every resource one proxy receives: its group's outbound set, shared by reference with every
 * proxy of the group, and the proxy's own inbound set. Versions per type join the two parts'
 * versions, so they are computed once per group and once per proxy, never per push.
 */
final class ProxyResources {
    private final ResourceSet group;
    private final ResourceSet own;
    private final Versions versions;

    ProxyResources(ResourceSet group, ResourceSet own) {
        this.group = Objects.requireNonNull(group, "group");
        this.own = Objects.requireNonNull(own, "own");
        this.versions = group.versions().join(own.versions());
    }

    Versions versions() {
        return versions;
    }

    /** The version of one type ({@code ""} for types zonemesh does not serve). */
    String version(ResourceType type) {
        return switch (type) {
            case CLUSTER -> versions.clusters();
            case ENDPOINT -> versions.endpoints();
            case LISTENER -> versions.listeners();
            case ROUTE -> versions.routes();
            default -> "";
        };
    }

    /** Every resource of {@code type}: the group's, then the proxy's own. */
    List<? extends Message> all(ResourceType type) {
        List<? extends Message> a = group.list(type);
        List<? extends Message> b = own.list(type);
        if (b.isEmpty()) {
            return a;
        }
        List<Message> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /** A RDS or EDS resource by name (the proxy's own first), or null. */
    @Nullable
    ResourceSet.Named named(ResourceType type, String name) {
        ResourceSet.Named n = own.named(type, name);
        return n != null ? n : group.named(type, name);
    }

    /** The RDS or EDS resources that differ from {@code before}'s (new ones included; removed ones are not resources). */
    List<ResourceSet.Named> changedSince(ProxyResources before, ResourceType type) {
        List<ResourceSet.Named> fromGroup = group.changedSince(before.group, type);
        List<ResourceSet.Named> fromOwn = own.changedSince(before.own, type);
        if (fromOwn.isEmpty()) {
            return fromGroup;
        }
        List<ResourceSet.Named> out = new ArrayList<>(fromGroup);
        out.addAll(fromOwn);
        return out;
    }

    @SuppressWarnings("unchecked")
    List<Listener> listeners() {
        return (List<Listener>) all(ResourceType.LISTENER);
    }

    @SuppressWarnings("unchecked")
    List<RouteConfiguration> routes() {
        return (List<RouteConfiguration>) all(ResourceType.ROUTE);
    }

    @SuppressWarnings("unchecked")
    List<Cluster> clusters() {
        return (List<Cluster>) all(ResourceType.CLUSTER);
    }

    @SuppressWarnings("unchecked")
    List<ClusterLoadAssignment> endpoints() {
        return (List<ClusterLoadAssignment>) all(ResourceType.ENDPOINT);
    }

    /** Content versions of each resource type. */
    record Versions(String listeners, String routes, String clusters, String endpoints) {
        /** Each type's two versions joined: the group's outbound part and the proxy's own part. */
        Versions join(Versions other) {
            return new Versions(
                    listeners + "." + other.listeners,
                    routes + "." + other.routes,
                    clusters + "." + other.clusters,
                    endpoints + "." + other.endpoints);
        }
    }
}

package io.zonemesh.controlplane;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.zonemesh.common.Nullable;
import io.zonemesh.xds.XdsResources;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Generated resources with everything the cache needs to answer from them, computed once: a
 * content version per type and, for the types a state-of-the-world response may carry only in
 * part (RDS and EDS), each resource by name with a hash of its content, so a change to one
 * ClusterLoadAssignment is sent as that one resource. A proxy group's outbound set is built once
 * per group and mesh version and shared by every proxy of the group. Immutable.
 */
final class ResourceSet {
    static final ResourceSet EMPTY = of(XdsResources.EMPTY);

    private final XdsResources resources;
    private final ProxyResources.Versions versions;
    private final Map<String, Named> endpoints;
    private final Map<String, Named> routes;
    // Keyed by identity (ResourceSet keeps Object's equals); at most a few per set, gone with it.
    private final Map<ResourceSet, List<Named>> endpointChanges = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<ResourceSet, List<Named>> routeChanges = new java.util.concurrent.ConcurrentHashMap<>();

    private ResourceSet(
            XdsResources resources,
            ProxyResources.Versions versions,
            Map<String, Named> endpoints,
            Map<String, Named> routes) {
        this.resources = resources;
        this.versions = versions;
        this.endpoints = endpoints;
        this.routes = routes;
    }

    /** Hashes each resource once; the type versions of RDS and EDS are derived from those hashes. */
    static ResourceSet of(XdsResources r) {
        return of(r, null);
    }

    /**
     * Like {@link #of(XdsResources)}, taking the hash of each assignment that is the very instance
     * {@code previous} held (the generator's load-assignment cache returns unchanged ones as such)
     * instead of serializing it again.
     */
    static ResourceSet of(XdsResources r, @Nullable ResourceSet previous) {
        Map<String, Named> endpoints = new HashMap<>();
        MessageDigest edsVersion = sha256();
        for (ClusterLoadAssignment cla : r.endpoints()) {
            Named before = previous == null ? null : previous.endpoints.get(cla.getClusterName());
            Named n = before != null && before.resource() == cla ? before : Named.of(cla);
            endpoints.put(cla.getClusterName(), n);
            update(edsVersion, cla.getClusterName(), n.hash);
        }
        Map<String, Named> routes = new HashMap<>();
        MessageDigest rdsVersion = sha256();
        for (RouteConfiguration rc : r.routes()) {
            Named n = Named.of(rc);
            routes.put(rc.getName(), n);
            update(rdsVersion, rc.getName(), n.hash);
        }
        ProxyResources.Versions versions =
                new ProxyResources.Versions(hash(r.listeners()), hex(rdsVersion), hash(r.clusters()), hex(edsVersion));
        // HashMaps, not Map.copyOf: the immutable map's linear probing degrades on the similar hash codes
        // of names like outbound|8080||svc-0001..., and the push looks up every subscribed name.
        return new ResourceSet(
                r, versions, Collections.unmodifiableMap(endpoints), Collections.unmodifiableMap(routes));
    }

    XdsResources resources() {
        return resources;
    }

    ProxyResources.Versions versions() {
        return versions;
    }

    /** The resources of {@code type} in name order (none for types zonemesh does not serve). */
    List<? extends Message> list(ResourceType type) {
        return switch (type) {
            case CLUSTER -> resources.clusters();
            case ENDPOINT -> resources.endpoints();
            case LISTENER -> resources.listeners();
            case ROUTE -> resources.routes();
            default -> List.of();
        };
    }

    /** A RDS or EDS resource by name, or null. */
    @Nullable
    Named named(ResourceType type, String name) {
        return switch (type) {
            case ENDPOINT -> endpoints.get(name);
            case ROUTE -> routes.get(name);
            default -> null;
        };
    }

    /**
     * The RDS or EDS resources of this set that {@code before} lacks or holds with other content,
     * computed once per pair of sets: every proxy of a group that held {@code before} asks for the
     * same difference.
     */
    List<Named> changedSince(ResourceSet before, ResourceType type) {
        if (before == this) {
            return List.of();
        }
        Map<ResourceSet, List<Named>> memo = type == ResourceType.ENDPOINT ? endpointChanges : routeChanges;
        return memo.computeIfAbsent(before, b -> {
            Map<String, Named> now = type == ResourceType.ENDPOINT ? endpoints : routes;
            List<Named> changed = new java.util.ArrayList<>();
            for (Map.Entry<String, Named> e : now.entrySet()) {
                Named then = b.named(type, e.getKey());
                if (then == null || then.hash() != e.getValue().hash()) {
                    changed.add(e.getValue());
                }
            }
            return List.copyOf(changed);
        });
    }

    /** A resource and the hash of its serialized content. */
    record Named(Message resource, long hash) {
        static Named of(Message m) {
            byte[] digest = sha256().digest(m.toByteArray());
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (digest[i] & 0xff);
            }
            return new Named(m, h);
        }
    }

    /** Short content hash of a whole list; resources arrive sorted by name, so equal content gives equal hashes. */
    static String hash(List<? extends Message> resources) {
        MessageDigest digest = sha256();
        for (Message m : resources) {
            digest.update(m.toByteArray());
        }
        return hex(digest);
    }

    private static void update(MessageDigest digest, String name, long hash) {
        digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < 8; i++) {
            digest.update((byte) (hash >>> (56 - 8 * i)));
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest(), 0, 6);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

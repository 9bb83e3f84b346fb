package io.zonemesh.controlplane;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.grpc.Status;
import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The control plane's xDS cache: holds each ADS connection's current {@link ProxyResources} and
 * answers java-control-plane's ADS streams from them (state of the world). Entries are keyed by
 * connection id, which {@link ConnectionScopedAds} puts in the requests' {@code node.id}, so no
 * stream's requests touch another stream's entry, even when both claim the same proxy.
 *
 * <p>Unlike java-control-plane's {@code SimpleCache}, it does not copy a group's resources into a
 * snapshot per proxy (every proxy of a group points at the same {@link ResourceSet}), and it sends
 * RDS and EDS incrementally: the xDS protocol requires every Listener and Cluster in each LDS and
 * CDS response, but lets RDS and EDS responses carry only some of the subscribed resources ("Grouping
 * resources into responses"; Envoy and grpc-java keep the ones a response leaves out). So when a
 * proxy's previous response of a type is known to be the one it holds, only the resources whose
 * content hash changed, or that it newly subscribed to, are sent; one endpoint change costs each
 * proxy one ClusterLoadAssignment instead of all of them. Anything uncertain (a new stream, a NACK)
 * gets every subscribed resource.
 *
 * <p>Responses to a proxy are given to the stream's executor in the order Envoy needs (CDS before
 * EDS, LDS before RDS). Thread-safe: watches arrive on gRPC threads, snapshots from the push thread.
 */
final class XdsCache implements ConfigWatcher {
    /** The order of responses after a change: clusters warm with their endpoints before listeners use them. */
    private static final List<ResourceType> ORDER =
            List.of(ResourceType.CLUSTER, ResourceType.ENDPOINT, ResourceType.LISTENER, ResourceType.ROUTE);

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** Makes {@code resources} the connection's config and answers its open watches that it changes. */
    void setSnapshot(String proxyId, ProxyResources resources) {
        Entry e = entries.computeIfAbsent(proxyId, k -> new Entry());
        synchronized (e) {
            e.resources = resources;
            for (ResourceType type : ORDER) {
                for (Map.Entry<Watch, Subscription> w : List.copyOf(e.watches.entrySet())) {
                    if (w.getKey().request().getResourceType() == type && respond(e, w.getKey(), w.getValue())) {
                        e.watches.remove(w.getKey());
                    }
                }
            }
        }
    }

    /** The proxy's current resources, or null if none were set. */
    @Nullable
    ProxyResources snapshot(String proxyId) {
        Entry e = entries.get(proxyId);
        if (e == null) {
            return null;
        }
        synchronized (e) {
            return e.resources;
        }
    }

    /**
     * Forgets a closed connection, once its watches are cancelled (java-control-plane reports the
     * close before it cancels them). Called on the push thread after the connection left the
     * tracker, so no later push re-creates the entry.
     */
    void remove(String proxyId) {
        Entry e = entries.get(proxyId);
        if (e == null) {
            return;
        }
        synchronized (e) {
            e.gone = true;
            forgetIfIdle(proxyId, e);
        }
    }

    /** Caller holds the entry's lock. */
    private void forgetIfIdle(String proxyId, Entry e) {
        if (e.gone && e.watches.isEmpty()) {
            entries.remove(proxyId, e);
        }
    }

    /** Number of proxies with resources or watches. */
    int size() {
        return entries.size();
    }

    @Override
    public Watch createWatch(
            boolean ads,
            XdsRequest request,
            Set<String> knownResourceNames,
            Consumer<Response> responseConsumer,
            boolean hasClusterChanged,
            boolean allowDefaultEmptyEdsUpdate) {
        // The watch keeps the request without its names (1,000 per EDS ACK); the interned
        // subscription, shared by the group's proxies, stands for them.
        Subscription subscription = Subscription.of(request.v3Request());
        XdsRequest slim = request.getResourceNamesList().isEmpty()
                ? request
                : XdsRequest.create(
                        request.v3Request().toBuilder().clearResourceNames().build());
        Watch watch = new Watch(ads, allowDefaultEmptyEdsUpdate, slim, responseConsumer);
        String proxyId = request.v3Request().getNode().getId();
        Entry e = entries.computeIfAbsent(proxyId, k -> new Entry());
        synchronized (e) {
            e.gone = false;
            Sent last = e.sent.get(request.getResourceType());
            if (request.hasErrorDetail() && last != null) {
                // The proxy kept its previous config, not the one last sent: the next answer is complete
                // (and not this one: the rejected config is not sent again, see NodeRememberingAds).
                e.sent.put(request.getResourceType(), last.rejected());
            }
            if (e.resources == null || !respond(e, watch, subscription)) {
                e.watches.put(watch, subscription);
                watch.setStop(() -> {
                    synchronized (e) {
                        e.watches.remove(watch);
                        forgetIfIdle(proxyId, e);
                    }
                });
            }
        }
        return watch;
    }

    @Override
    public DeltaWatch createDeltaWatch(
            DeltaXdsRequest request,
            String requesterVersion,
            Map<String, String> resourceVersions,
            Set<String> pendingResources,
            boolean isWildcard,
            Consumer<DeltaResponse> responseConsumer,
            boolean hasClusterChanged) {
        throw Status.UNIMPLEMENTED
                .withDescription("zonemesh serves state-of-the-world ADS only; use StreamAggregatedResources")
                .asRuntimeException();
    }

    /** Answers the watch if the proxy lacks something; whether it did. Caller holds the entry's lock. */
    // Subscriptions are interned (Subscription.of), so identity is equality, and cheaper.
    @SuppressWarnings("ReferenceEquality")
    private static boolean respond(Entry e, Watch watch, Subscription subscription) {
        ProxyResources r = Objects.requireNonNull(e.resources, "callers check that resources are set");
        XdsRequest request = watch.request();
        ResourceType type = request.getResourceType();
        String version = r.version(type);
        if (version.isEmpty()) {
            return false; // a type zonemesh does not serve (SDS): the watch waits
        }
        List<String> names = subscription.names();
        Sent last = e.sent.get(type);
        boolean sameNames = last != null && last.subscription == subscription;
        Set<String> before = last == null || sameNames ? null : new HashSet<>(last.subscription.names());
        boolean covered = names.isEmpty() || sameNames || (before != null && before.containsAll(names));
        if (version.equals(request.getVersionInfo()) && covered) {
            return false;
        }
        List<Message> resources = new ArrayList<>();
        boolean partial = (type == ResourceType.ENDPOINT || type == ResourceType.ROUTE)
                && !names.isEmpty()
                && last != null
                && last.accepted
                && last.version.equals(request.getVersionInfo());
        if (partial) {
            if (sameNames) {
                // The same subscription as before (the usual ACK): the difference between the two
                // configs, computed once per group, filtered by what the proxy subscribed to.
                List<ResourceSet.Named> changes = r.changedSince(Objects.requireNonNull(last).resources, type);
                // A scan per change is cheaper than a set of 1,000 names, until changes are many.
                java.util.Collection<String> subscribed = changes.size() > 16 ? new HashSet<>(names) : names;
                for (ResourceSet.Named changed : changes) {
                    if (subscribed.contains(Resources.getResourceName(changed.resource()))) {
                        resources.add(changed.resource());
                    }
                }
            } else {
                // partial implies last != null; other names than last time imply before != null.
                Sent previous = Objects.requireNonNull(last);
                Set<String> previousNames = Objects.requireNonNull(before);
                for (String name : names) {
                    ResourceSet.Named now = r.named(type, name);
                    if (now == null) {
                        continue;
                    }
                    ResourceSet.Named then = previousNames.contains(name) ? previous.resources.named(type, name) : null;
                    if (then == null || then.hash() != now.hash()) {
                        resources.add(now.resource());
                    }
                }
            }
        } else if (names.isEmpty()) {
            resources.addAll(r.all(type));
        } else {
            Set<String> wanted = new HashSet<>(names);
            for (Message m : r.all(type)) {
                if (wanted.contains(Resources.getResourceName(m))) {
                    resources.add(m);
                }
            }
        }
        try {
            watch.respond(Response.create(request, resources, version));
        } catch (WatchCancelledException ex) {
            return true; // the stream is gone; drop the watch
        }
        e.sent.put(type, new Sent(version, r, subscription, true));
        return true;
    }

    /** One proxy's config and ADS watches. */
    private static final class Entry {
        @Nullable
        ProxyResources resources;
        /** The proxy's last stream closed: drop the entry when its last watch goes. */
        boolean gone;

        final Map<Watch, Subscription> watches = new java.util.LinkedHashMap<>();
        final Map<ResourceType, Sent> sent = new java.util.EnumMap<>(ResourceType.class);
    }

    /**
     * What the last response of a type left the proxy holding: {@code resources}' version of every
     * name of {@code subscription}, unless the proxy rejected it ({@code accepted} false: what it
     * holds is unknown).
     */
    private record Sent(String version, ProxyResources resources, Subscription subscription, boolean accepted) {
        Sent rejected() {
            return new Sent(version, resources, subscription, false);
        }
    }
}

package io.zonemesh.kube.discovery;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.zonemesh.common.Clock;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.config.parse.ResourceKinds;
import io.zonemesh.registry.EndpointSlices;
import io.zonemesh.registry.MeshRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link MeshRegistry} from one cluster's API server, as istiod's Kubernetes registry
 * ({@code pilot/pkg/serviceregistry/kube/controller/controller.go}) does: shared informers on
 * Namespaces, Nodes, Services, EndpointSlices, Pods, ServiceAccounts and every
 * {@code networking.istio.io} kind and version zonemesh reads ({@link ResourceKinds}).
 *
 * <p>Each event converts just its object and replaces one cache entry on a single sync thread;
 * the registry is then rebuilt from the cache once per burst of events (a rebuild queued behind
 * the events that caused it absorbs every event queued before it), and the control plane's
 * debounce coalesces the pushes. A resource zonemesh rejects is left out, logged and listed in
 * {@link #rejected()}; the rest keeps working. When the API connection drops, the informers keep
 * their stores, nothing is deleted, and on reconnect they re-list and deliver the differences.
 */
public final class KubeDiscovery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubeDiscovery.class);

    private final KubernetesClient client;
    private final Sink sink;
    private final Clock clock;
    private final ResourceConverter converter = new ResourceConverter();
    private final ClusterCache cache = new ClusterCache();
    private final ExecutorService syncThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "zonemesh-kube-sync");
        t.setDaemon(true);
        return t;
    });
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final Map<String, String> rejected = new ConcurrentSkipListMap<>();
    private final Map<String, String> unavailable = new ConcurrentSkipListMap<>();
    /** The namespace whose {@code istio} ConfigMap holds meshConfig, null: not watched. */
    private @io.zonemesh.common.Nullable String meshConfigNamespace;
    /** Sync thread only. */
    private boolean rebuildQueued;
    /** Sync thread only: no rebuild before every informer's first list is in (istiod's HasSynced). */
    private boolean synced;

    private final java.util.concurrent.atomic.AtomicBoolean firstStatePublished =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong rebuilds = new java.util.concurrent.atomic.AtomicLong();

    /** @param clock bounds {@link #start}'s wait for the first lists */
    public KubeDiscovery(KubernetesClient client, MeshRegistry registry, Clock clock) {
        this(client, registry::apply, clock);
    }

    /**
     * Publishes each rebuilt state of this cluster to {@code sink} instead of a registry: several
     * clusters feed one registry through a {@link MeshAggregate}.
     */
    public KubeDiscovery(KubernetesClient client, Sink sink, Clock clock) {
        this.client = client;
        this.sink = sink;
        this.clock = clock;
    }

    /**
     * Also watches the ConfigMaps of {@code namespace} (the control plane's), where istiod reads
     * meshConfig from the {@code istio} ConfigMap's {@code mesh} key (access-log settings); call
     * before {@link #start}. Only the local cluster's discovery does: configuration comes from it.
     */
    public KubeDiscovery watchMeshConfig(String namespace) {
        this.meshConfigNamespace = java.util.Objects.requireNonNull(namespace, "namespace");
        return this;
    }

    /** Where a cluster's state goes after each rebuild (on the sync thread; must not block long). */
    @FunctionalInterface
    public interface Sink {
        void publish(MeshConfigBundle bundle, EndpointSlices slices);
    }

    /**
     * Starts every informer and waits (at most {@code timeout} in all) for their first lists,
     * then publishes the first state. A kind the server does not serve (an Istio version or CRD
     * not installed) is logged and listed in {@link #status()}, not fatal. A kind still listing
     * when the time is up keeps trying in the background; what has arrived is served meanwhile
     * and {@link #synced()} stays false until it is in.
     */
    public void start(Duration timeout) throws InterruptedException {
        for (String kind : ResourceKinds.kinds()) {
            if (kind.equals("Deployment")) {
                continue; // Pods are read instead; see ClusterCache.merge.
            }
            if (kind.equals("Secret") || kind.equals("ServiceAccount")) {
                // Secrets are never watched cluster-wide (the plug-in CA reads the one cacerts Secret
                // in the control plane's namespace, remote secrets their own label); ServiceAccounts
                // are kept by the store-only informer below.
                continue;
            }
            for (String apiVersion : ResourceKinds.apiVersionsOf(kind)) {
                ResourceKinds.Entry e = java.util.Objects.requireNonNull(ResourceKinds.find(apiVersion, kind));
                informers.add(inform(e.type(), e.namespaced(), new ConvertingHandler<>()));
            }
        }
        informers.add(inform(EndpointSlice.class, true, new SliceHandler()));
        informers.add(inform(ServiceAccount.class, true, new StoreOnlyHandler<>()));
        if (meshConfigNamespace != null) {
            SharedIndexInformer<ConfigMap> meshConfig =
                    client.configMaps().inNamespace(meshConfigNamespace).runnableInformer(0);
            meshConfig.addEventHandler(new ConvertingHandler<>());
            informers.add(meshConfig);
        }
        long deadline = clock.nanoTime() + timeout.toNanos();
        List<SharedIndexInformer<?>> started = new ArrayList<>();
        for (SharedIndexInformer<?> informer : informers) {
            try {
                informer.start()
                        .toCompletableFuture()
                        .get(Math.max(1, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
                started.add(informer);
            } catch (ExecutionException e) {
                String what = informer.getApiTypeClass().getName();
                unavailable.put(what, String.valueOf(e.getCause()));
                log.warn("not watching {}: {}", what, String.valueOf(e.getCause()));
                informer.stop();
            } catch (TimeoutException e) {
                started.add(informer);
                log.warn(
                        "{} not listed within {}; serving without it until it is",
                        informer.getApiTypeClass().getName(),
                        timeout);
            }
        }
        informers.retainAll(started);
        syncThread.execute(() -> {
            synced = true;
            rebuild();
            firstStatePublished.set(true);
        });
    }

    private <T extends HasMetadata> SharedIndexInformer<T> inform(
            Class<T> type, boolean namespaced, ResourceEventHandler<T> handler) {
        SharedIndexInformer<T> informer = namespaced
                ? client.resources(type).inAnyNamespace().runnableInformer(0)
                : client.resources(type).runnableInformer(0);
        informer.addEventHandler(handler);
        return informer;
    }

    /**
     * Whether the first state is published and every watched kind's informer has listed (what
     * {@code /ready} reports, as istiod's readiness waits for its caches).
     */
    public boolean synced() {
        return firstStatePublished.get() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Whether an informer of {@code type} was started (false when the server does not serve the kind). */
    public boolean watches(Class<?> type) {
        return informers.stream().anyMatch(i -> i.getApiTypeClass() == type);
    }

    /** Resources skipped because zonemesh rejects them, by {@code apiVersion/kind/ns/name}: their errors. */
    public Map<String, String> rejected() {
        return Map.copyOf(rejected);
    }

    /** What {@code /debug/configz} shows: rejected resources, kinds not watched, sync state. */
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("synced", informers.stream().allMatch(SharedIndexInformer::hasSynced));
        out.put("watching", informers.stream().allMatch(SharedIndexInformer::isWatching));
        out.put("rebuilds", rebuilds.get());
        List<Map<String, String>> skipped = new ArrayList<>();
        rejected.forEach((k, v) -> skipped.add(Map.of("resource", k, "error", v)));
        out.put("rejected", skipped);
        out.put("notWatched", new TreeMap<>(unavailable));
        return out;
    }

    private void onSyncThread(Runnable change) {
        try {
            syncThread.execute(() -> {
                try {
                    change.run();
                } catch (RuntimeException e) {
                    log.error("a Kubernetes event could not be applied; the registry keeps its state", e);
                }
                if (!rebuildQueued && synced) {
                    rebuildQueued = true;
                    syncThread.execute(this::rebuild);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            log.debug("discovery closed; dropped an event", closing);
        }
    }

    private void rebuild() {
        rebuildQueued = false;
        try {
            sink.publish(cache.bundle(), cache.slices());
            rebuilds.incrementAndGet();
        } catch (RuntimeException e) {
            log.error("the registry could not be rebuilt from the cluster's state; it keeps the last one", e);
        }
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> i : informers) {
            i.stop();
        }
        syncThread.shutdownNow();
    }

    /** Converts and caches Namespaces, Nodes, Services, Pods and the Istio kinds. */
    private final class ConvertingHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {
            onSyncThread(() -> put(obj));
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
            onSyncThread(() -> put(newObj));
        }

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            onSyncThread(() -> {
                String key = ResourceConverter.key(obj);
                cache.remove(obj.getApiVersion(), kindNsName(obj));
                rejected.remove(key);
            });
        }

        private void put(T obj) {
            String key = ResourceConverter.key(obj);
            ResourceConverter.Converted c = converter.convert(obj);
            if (c.rejected()) {
                // Istio's behaviour for invalid config is to skip the resource; the previous
                // version of it (if any) is dropped too, as a replaced file's resource would be.
                cache.remove(obj.getApiVersion(), kindNsName(obj));
                if (!c.errors().equals(rejected.put(key, c.errors()))) {
                    log.warn("{} skipped: {}", key, c.errors());
                }
                return;
            }
            rejected.remove(key);
            cache.put(obj.getApiVersion(), kindNsName(obj), c.result().bundle());
        }
    }

    private static String kindNsName(HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        return obj.getKind() + "/" + (ns == null ? "" : ns) + "/"
                + obj.getMetadata().getName();
    }

    /** Reduces and caches EndpointSlices. */
    private final class SliceHandler implements ResourceEventHandler<EndpointSlice> {
        @Override
        public void onAdd(EndpointSlice obj) {
            onSyncThread(() -> cache.putSlice(obj));
        }

        @Override
        public void onUpdate(EndpointSlice oldObj, EndpointSlice newObj) {
            onSyncThread(() -> cache.putSlice(newObj));
        }

        @Override
        public void onDelete(EndpointSlice obj, boolean deletedFinalStateUnknown) {
            onSyncThread(() -> cache.removeSlice(
                    obj.getMetadata().getNamespace(), obj.getMetadata().getName()));
        }
    }

    /**
     * ServiceAccounts are watched so that their store is ready for the identity work (istiod
     * keeps them for SPIFFE identities); today a pod's account comes from its spec, so they
     * change nothing in the registry.
     */
    private static final class StoreOnlyHandler<T extends HasMetadata> implements ResourceEventHandler<T> {
        @Override
        public void onAdd(T obj) {}

        @Override
        public void onUpdate(T oldObj, T newObj) {}

        @Override
        public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    }
}

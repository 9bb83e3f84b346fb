package io.zonemesh.kube.discovery;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.kube.KubeClients;
import io.zonemesh.registry.EndpointSlices;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * istiod's remote-secret controller ({@code pkg/kube/multicluster/secretcontroller.go}): watches
 * the Secrets labelled {@code istio/multiCluster: "true"} in the control plane's namespace; each
 * data key is a cluster ID and its value a kubeconfig, and each cluster is a full
 * {@link KubeDiscovery} feeding the {@link MeshAggregate}. As istiod: the local cluster's ID is
 * ignored; an ID another Secret already registered is ignored; an unchanged kubeconfig is not
 * reloaded; a changed one starts a new cluster that replaces the old only once it has synced (the
 * old keeps serving meanwhile, then is stopped); a key or Secret removed removes its cluster's
 * endpoints. A kubeconfig that cannot be used is logged and listed by {@link #clusters()}
 * ({@code /debug/clusterz}); everything else keeps working.
 */
public final class RemoteSecretController implements AutoCloseable, RemoteCluster.Publisher {
    public static final String MULTI_CLUSTER_SECRET_LABEL = "istio/multiCluster";

    private static final Logger log = LoggerFactory.getLogger(RemoteSecretController.class);

    private final KubernetesClient local;
    private final String namespace;
    private final MeshAggregate aggregate;
    private final Clock clock;
    private final Duration syncTimeout;
    private final BooleanSupplier localSynced;
    private final ExecutorService events = daemonThreads("zonemesh-remote-secrets", true);
    /** One thread per remote cluster while it lists (bounded by the number of clusters). */
    private final ExecutorService starts = daemonThreads("zonemesh-remote-cluster", false);
    /** Guarded by this; by cluster ID. */
    private final Map<String, Entry> entries = new TreeMap<>();

    private @Nullable SharedIndexInformer<Secret> informer;

    public RemoteSecretController(
            KubernetesClient local,
            String namespace,
            MeshAggregate aggregate,
            Clock clock,
            Duration syncTimeout,
            BooleanSupplier localSynced) {
        this.local = local;
        this.namespace = namespace;
        this.aggregate = aggregate;
        this.clock = clock;
        this.syncTimeout = syncTimeout;
        this.localSynced = localSynced;
    }

    /** Starts watching the remote secrets (a forbidden or failing list is logged, not fatal). */
    public void start() {
        SharedIndexInformer<Secret> i = local.secrets()
                .inNamespace(namespace)
                .withLabel(MULTI_CLUSTER_SECRET_LABEL, "true")
                .runnableInformer(0);
        i.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret s) {
                events.execute(() -> reconcile(key(s), kubeconfigs(s)));
            }

            @Override
            public void onUpdate(Secret oldObj, Secret s) {
                events.execute(() -> reconcile(key(s), kubeconfigs(s)));
            }

            @Override
            public void onDelete(Secret s, boolean finalStateUnknown) {
                events.execute(() -> reconcile(key(s), Map.of()));
            }
        });
        informer = i;
        i.start().whenComplete((ok, e) -> {
            if (e != null) {
                log.warn("not watching remote secrets in {}: {}", namespace, String.valueOf(e));
            }
        });
    }

    private static String key(Secret s) {
        return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
    }

    /**
     * The Secret's data, decoded; {@code stringData} over it (the API server converts
     * {@code stringData} into {@code data} on write; a server that stores it as given, such as a
     * test's mock, still works).
     */
    static Map<String, String> kubeconfigs(Secret s) {
        Map<String, String> out = new TreeMap<>();
        if (s.getData() != null) {
            s.getData()
                    .forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (s.getStringData() != null) {
            out.putAll(s.getStringData());
        }
        return out;
    }

    /** istiod's {@code addRemoteConfig} / {@code deleteRemoteConfig} for one Secret. */
    synchronized void reconcile(String secretKey, Map<String, String> kubeconfigs) {
        for (Entry e : List.copyOf(entries.values())) {
            if (e.secretKey.equals(secretKey) && !kubeconfigs.containsKey(e.clusterId)) {
                log.info("deleting cluster {} configured by secret {}", e.clusterId, secretKey);
                entries.remove(e.clusterId);
                e.closeAll();
                aggregate.remove(e.clusterId);
            }
        }
        kubeconfigs.forEach((clusterId, kubeconfig) -> {
            if (clusterId.equals(aggregate.localClusterId())) {
                log.info("secret {}: ignoring cluster {}: it would overwrite the local cluster", secretKey, clusterId);
                return;
            }
            Entry e = entries.get(clusterId);
            if (e != null && !e.secretKey.equals(secretKey)) {
                log.warn("secret {}: cluster {} is already registered by secret {}", secretKey, clusterId, e.secretKey);
                return;
            }
            String sha = sha256(kubeconfig);
            if (e != null && e.sha.equals(sha)) {
                return; // istiod: "skipping update (kubeconfig are identical)"
            }
            if (e == null) {
                e = new Entry(clusterId, secretKey);
                entries.put(clusterId, e);
            }
            e.sha = sha;
            if (e.pending != null) {
                e.pending.close();
                e.pending = null;
            }
            KubernetesClient client;
            try {
                client = KubeClients.fromUntrustedKubeconfig(kubeconfig);
            } catch (RuntimeException bad) {
                e.error = bad.getMessage();
                log.error("secret {}: cluster {}: {}; the other clusters keep working", secretKey, clusterId, e.error);
                return;
            }
            RemoteCluster rc = new RemoteCluster(clusterId, secretKey, client, clock, this);
            e.pending = rc;
            e.error = null;
            log.info(
                    "secret {}: {} cluster {} at {}",
                    secretKey,
                    e.active == null ? "adding" : "updating",
                    clusterId,
                    rc.server());
            starts.execute(() -> rc.run(syncTimeout));
        });
    }

    /** A synced cluster's state: the pending one replaces the active one at its first state. */
    @Override
    public void publish(RemoteCluster cluster, MeshConfigBundle bundle, EndpointSlices slices) {
        RemoteCluster replaced = null;
        synchronized (this) {
            Entry e = entries.get(cluster.clusterId);
            if (e == null) {
                return;
            }
            if (e.pending == cluster) {
                replaced = e.active;
                e.active = cluster;
                e.pending = null;
            }
            if (e.active != cluster) {
                return; // a replaced cluster's late state
            }
            aggregate.put(cluster.clusterId, bundle, slices);
        }
        if (replaced != null) {
            replaced.close();
        }
    }

    @Override
    public synchronized void failed(RemoteCluster cluster, String error) {
        Entry e = entries.get(cluster.clusterId);
        log.error(
                "secret {}: cluster {}: {}; the other clusters keep working",
                cluster.secretKey,
                cluster.clusterId,
                error);
        if (e != null && e.pending == cluster) {
            e.pending = null;
            e.error = error;
        }
    }

    /**
     * istiod's {@code /debug/clusterz}: the local cluster, then each remote cluster with the
     * Secret that configures it and its sync status; zonemesh adds the error of a cluster that
     * could not be used, and {@code pending} while a replacement lists.
     */
    public synchronized List<Map<String, Object>> clusters() {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("id", aggregate.localClusterId());
        self.put("secretName", "");
        self.put("syncStatus", localSynced.getAsBoolean() ? "synced" : "syncing");
        out.add(self);
        for (Entry e : entries.values()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", e.clusterId);
            c.put("secretName", e.secretKey);
            c.put("syncStatus", e.active != null ? e.active.status() : e.pending != null ? "syncing" : "error");
            if (e.active != null && e.pending != null) {
                c.put("pending", e.pending.status());
            }
            if (e.error != null) {
                c.put("error", e.error);
            }
            out.add(c);
        }
        return out;
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.stop();
        }
        events.shutdownNow();
        synchronized (this) {
            entries.values().forEach(Entry::closeAll);
            entries.clear();
        }
        starts.shutdownNow();
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static ExecutorService daemonThreads(String name, boolean single) {
        java.util.concurrent.ThreadFactory f = r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
        return single ? Executors.newSingleThreadExecutor(f) : Executors.newCachedThreadPool(f);
    }

    /** One cluster ID: the Secret that names it, the cluster serving, the one replacing it. */
    private static final class Entry {
        final String clusterId;
        final String secretKey;
        String sha = "";

        @Nullable
        RemoteCluster active;

        @Nullable
        RemoteCluster pending;

        @Nullable
        String error;

        Entry(String clusterId, String secretKey) {
            this.clusterId = clusterId;
            this.secretKey = secretKey;
        }

        void closeAll() {
            if (active != null) {
                active.close();
            }
            if (pending != null) {
                pending.close();
            }
        }
    }
}

package io.zonemesh.kube.discovery;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.config.MeshConfigBundle;
import io.zonemesh.registry.EndpointSlices;
import java.time.Duration;

/**
 * One remote cluster of a remote secret (istiod's {@code pkg/kube/multicluster/cluster.go}):
 * its client and a full {@link KubeDiscovery}. Its states are held back until the discovery's
 * first lists are in ({@code HasSynced}); then the first state and every later one go to the
 * {@link Publisher}, which swaps this cluster in. A cluster whose API serves none of Pods,
 * Services and EndpointSlices (unreachable, or the token is refused) is never swapped in.
 */
final class RemoteCluster implements AutoCloseable {
    /** Receives the states of an admitted cluster (on its sync thread). */
    interface Publisher {
        void publish(RemoteCluster cluster, MeshConfigBundle bundle, EndpointSlices slices);

        void failed(RemoteCluster cluster, String error);
    }

    final String clusterId;
    final String secretKey;
    private final KubernetesClient client;
    private final KubeDiscovery discovery;
    private final Publisher publisher;
    /** "error" or "closed" once it is; "" while running. */
    private volatile String ended = "";

    private volatile boolean timedOut;
    /** Guarded by this. */
    private volatile boolean admitted;
    /** Guarded by this: the last state published before admission. */
    private @Nullable Runnable held;

    RemoteCluster(String clusterId, String secretKey, KubernetesClient client, Clock clock, Publisher publisher) {
        this.clusterId = clusterId;
        this.secretKey = secretKey;
        this.client = client;
        this.publisher = publisher;
        this.discovery = new KubeDiscovery(client, this::onState, clock);
    }

    /** Lists the cluster (at most {@code timeout}), then admits it or reports why not. Blocks. */
    void run(Duration timeout) {
        try {
            discovery.start(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            fail("cannot watch " + client.getMasterUrl() + ": " + e);
            return;
        }
        if (!discovery.watches(Pod.class)
                || !discovery.watches(Service.class)
                || !discovery.watches(EndpointSlice.class)) {
            fail("cannot list Pods, Services and EndpointSlices at " + client.getMasterUrl()
                    + " (unreachable or forbidden): " + discovery.status().get("notWatched"));
            return;
        }
        Runnable first;
        synchronized (this) {
            // Some kind still listing when the time was up: istiod's "timeout" status, served anyway.
            timedOut = !Boolean.TRUE.equals(discovery.status().get("synced"));
            admitted = true;
            first = held;
            held = null;
        }
        if (first != null) {
            first.run();
        }
    }

    private void fail(String error) {
        ended = "error";
        publisher.failed(this, error);
        close();
    }

    private void onState(MeshConfigBundle bundle, EndpointSlices slices) {
        Runnable publish = () -> publisher.publish(this, bundle, slices);
        synchronized (this) {
            if (!admitted) {
                held = publish;
                return;
            }
        }
        publish.run();
    }

    /** istiod's sync status: syncing, synced, timeout (served before every kind listed), closed, error. */
    String status() {
        if (!ended.isEmpty()) {
            return ended;
        }
        if (admitted && discovery.synced()) {
            return "synced";
        }
        return admitted && timedOut ? "timeout" : "syncing";
    }

    String server() {
        return String.valueOf(client.getMasterUrl());
    }

    @Override
    public void close() {
        if (ended.isEmpty()) {
            ended = "closed";
        }
        discovery.close();
        client.close();
    }
}

package io.zonemesh.proxy.snapshot;

import io.zonemesh.common.Nullable;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.DiscoveryType;
import io.zonemesh.proxy.config.EndpointAssignment;
import io.zonemesh.proxy.config.ListenerConfig;
import io.zonemesh.proxy.xds.ResourceType;
import io.zonemesh.proxy.xds.XdsClient;
import io.zonemesh.proxy.xds.XdsResource;
import io.zonemesh.proxy.xds.XdsResources;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each accepted xDS update (and each change of a STRICT_DNS cluster's addresses) into a
 * new {@link ProxySnapshot} and publishes it with one volatile write; request handling reads
 * {@link #current()} without locks. Runs on the xDS executor (it is the client's
 * {@link XdsClient.Watcher}); retired load balancers are closed only after the snapshot that no
 * longer names them is visible.
 */
public final class SnapshotPublisher implements XdsClient.Watcher {
    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final ClusterManager clusters;
    private final DnsResolver dns;
    private final List<Consumer<ProxySnapshot>> subscribers = new CopyOnWriteArrayList<>();
    private XdsResources resources = XdsResources.EMPTY;
    private volatile ProxySnapshot current = ProxySnapshot.EMPTY;

    public SnapshotPublisher(ClusterManager clusters, DnsResolver dns) {
        this.clusters = Objects.requireNonNull(clusters, "clusters");
        this.dns = Objects.requireNonNull(dns, "dns");
        dns.onChange(this::rebuild);
    }

    /** The snapshot in force; one volatile read. */
    public ProxySnapshot current() {
        return current;
    }

    /** Calls {@code subscriber} with every snapshot published from now on, on the xDS executor. */
    public void subscribe(Consumer<ProxySnapshot> subscriber) {
        subscribers.add(Objects.requireNonNull(subscriber, "subscriber"));
    }

    @Override
    public void onResourcesChanged(XdsResources changed) {
        resources = changed;
        dns.sync(configs());
        rebuild();
    }

    private void rebuild() {
        ClusterManager.Update update = clusters.sync(configs(), this::assignment);
        ProxySnapshot next = new ProxySnapshot(resources, update.clusters(), current.ready() || complete());
        current = next;
        closeAll(update.retired());
        for (Consumer<ProxySnapshot> subscriber : subscribers) {
            try {
                subscriber.accept(next);
            } catch (RuntimeException e) {
                log.error("snapshot subscriber failed", e);
            }
        }
    }

    /** Stops DNS refreshes, retires every load balancer, publishes a snapshot without clusters. */
    public void shutdown() {
        dns.close();
        List<ClusterLoadBalancer> retired = clusters.clear();
        current = new ProxySnapshot(current.resources(), Map.of(), current.ready());
        closeAll(retired);
    }

    private Collection<ClusterConfig> configs() {
        return resources.clusters().values().stream().map(XdsResource::parsed).toList();
    }

    private @Nullable EndpointAssignment assignment(ClusterConfig config) {
        return switch (config.type()) {
            case STATIC -> config.loadAssignment();
            case STRICT_DNS -> dns.assignment(config.name());
            case EDS -> {
                XdsResource<EndpointAssignment> eds = resources.endpoints().get(config.edsServiceName());
                yield eds == null ? null : eds.parsed();
            }
        };
    }

    /**
     * The first full configuration: listeners and clusters received, every route table the
     * listeners name and every cluster's hosts present (EDS received, DNS resolved once).
     */
    private boolean complete() {
        if (!resources.received(ResourceType.LISTENER) || !resources.received(ResourceType.CLUSTER)) {
            return false;
        }
        for (XdsResource<ListenerConfig> listener : resources.listeners().values()) {
            String rds = listener.parsed().rdsName();
            if (rds != null && !resources.routes().containsKey(rds)) {
                return false;
            }
        }
        for (ClusterConfig config : configs()) {
            if (config.type() != DiscoveryType.STATIC && assignment(config) == null) {
                return false;
            }
        }
        return true;
    }

    private static void closeAll(List<ClusterLoadBalancer> balancers) {
        for (ClusterLoadBalancer balancer : balancers) {
            try {
                balancer.close();
            } catch (RuntimeException e) {
                log.warn("closing a retired load balancer failed", e);
            }
        }
    }
}

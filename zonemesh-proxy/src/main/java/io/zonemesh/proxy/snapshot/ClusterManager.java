package io.zonemesh.proxy.snapshot;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.lb.LocalCluster;
import io.zonemesh.proxy.config.ClusterConfig;
import io.zonemesh.proxy.config.EndpointAssignment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one load balancer per cluster in step with the accepted clusters and assignments: a new
 * cluster gets a new balancer, a changed one is {@code update}d in place (so hosts that stay keep
 * their outlier state, as in Envoy), a removed one is retired. Confined to the xDS executor.
 *
 * <p>The local cluster. Envoy learns the caller's own service from its bootstrap
 * ({@code cluster_manager.local_cluster_name}); Istio names that cluster {@value #LOCAL_CLUSTER}
 * and serves its endpoints over EDS. zonemesh-proxy learns everything over xDS, so a CDS cluster
 * named {@value #LOCAL_CLUSTER} is the local cluster: once its hosts are known, every cluster's
 * load balancer (including its own, as in Envoy) gets them with the proxy's node locality, and
 * does Envoy's zone-aware routing. Without that cluster nothing is zone-aware.
 */
public final class ClusterManager {
    private static final Logger log = LoggerFactory.getLogger(ClusterManager.class);

    /** Told about clusters entering and leaving service, e.g. to register per-cluster metrics. */
    public interface Listener {
        void onClusterAdded(ActiveCluster cluster);

        void onClusterRemoved(String clusterName);
    }

    /** The clusters now in service, and the balancers to close once no snapshot hands them out. */
    public record Update(Map<String, ActiveCluster> clusters, List<ClusterLoadBalancer> retired) {}

    /** Istio's {@code local_cluster_name} (self-discovery bootstrap): the caller's own service. */
    public static final String LOCAL_CLUSTER = "local_cluster";

    private final LoadBalancerFactory factory;
    private final Clock clock;
    private final RandomSource random;
    private final Scheduler scheduler;
    private final Listener listener;
    private final String localLocality;
    private Map<String, ActiveCluster> active = Map.of();

    /** A manager for a proxy without node locality. */
    public ClusterManager(
            LoadBalancerFactory factory, Clock clock, RandomSource random, Scheduler scheduler, Listener listener) {
        this(factory, clock, random, scheduler, listener, "");
    }

    /**
     * @param localLocality the proxy's node locality as {@code region/zone/subzone} ("" when
     *     unknown): Envoy's local locality for zone-aware routing
     */
    public ClusterManager(
            LoadBalancerFactory factory,
            Clock clock,
            RandomSource random,
            Scheduler scheduler,
            Listener listener,
            String localLocality) {
        this.localLocality = Objects.requireNonNull(localLocality, "localLocality");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Brings the load balancers in line with {@code configs}.
     *
     * @param assignments a cluster's current hosts, or null while it has none yet (EDS not
     *     received, DNS not resolved)
     */
    public Update sync(
            Collection<ClusterConfig> configs, Function<ClusterConfig, @Nullable EndpointAssignment> assignments) {
        Map<String, ActiveCluster> next = new HashMap<>();
        LocalCluster local = localCluster(configs, assignments);
        for (ClusterConfig config : configs) {
            EndpointAssignment assignment = assignments.apply(config);
            List<HostSpec> hosts = assignment == null ? List.of() : assignment.hosts();
            ClusterLbConfig lbConfig = config.lbConfig(
                    assignment == null
                            ? EndpointAssignment.DEFAULT_OVERPROVISIONING_FACTOR
                            : assignment.overprovisioningFactor(),
                    local);
            ActiveCluster existing = active.get(config.name());
            try {
                ClusterLoadBalancer balancer;
                CircuitBreakers breakers;
                if (existing == null) {
                    balancer = factory.create(config.name(), lbConfig, hosts, clock, random, scheduler);
                    breakers = new CircuitBreakers(config.circuitBreakers());
                } else {
                    balancer = existing.loadBalancer();
                    breakers = existing.breakers();
                    breakers.update(config.circuitBreakers());
                    if (!existing.lbConfig().equals(lbConfig)
                            || !existing.hosts().equals(hosts)) {
                        balancer.update(lbConfig, hosts);
                    }
                }
                ActiveCluster cluster = new ActiveCluster(
                        config,
                        lbConfig,
                        hosts,
                        balancer,
                        breakers,
                        assignment == null ? Map.of() : assignment.socketMatchMetadata());
                next.put(config.name(), cluster);
                if (existing == null) {
                    listener.onClusterAdded(cluster);
                }
            } catch (RuntimeException e) {
                // The update was already ACKed; keep serving what the cluster had, as Envoy keeps
                // a cluster that fails to warm out of service rather than taking the proxy down.
                log.error(
                        "load balancer of cluster {} rejected its config; keeping the previous state",
                        config.name(),
                        e);
                if (existing != null) {
                    next.put(config.name(), existing);
                }
            }
        }
        List<ClusterLoadBalancer> retired = new ArrayList<>();
        for (ActiveCluster old : active.values()) {
            if (!next.containsKey(old.name())) {
                retired.add(old.loadBalancer());
                listener.onClusterRemoved(old.name());
            }
        }
        active = Map.copyOf(next);
        return new Update(active, retired);
    }

    /** The {@value #LOCAL_CLUSTER} cluster's hosts, null while there is no such cluster or its hosts are unknown. */
    private @Nullable LocalCluster localCluster(
            Collection<ClusterConfig> configs, Function<ClusterConfig, @Nullable EndpointAssignment> assignments) {
        for (ClusterConfig config : configs) {
            if (config.name().equals(LOCAL_CLUSTER)) {
                EndpointAssignment assignment = assignments.apply(config);
                return assignment == null ? null : new LocalCluster(localLocality, assignment.hosts());
            }
        }
        return null;
    }

    /** Retires every cluster; used at shutdown. */
    public List<ClusterLoadBalancer> clear() {
        List<ClusterLoadBalancer> retired = new ArrayList<>();
        for (ActiveCluster cluster : active.values()) {
            retired.add(cluster.loadBalancer());
            listener.onClusterRemoved(cluster.name());
        }
        active = Map.of();
        return retired;
    }
}

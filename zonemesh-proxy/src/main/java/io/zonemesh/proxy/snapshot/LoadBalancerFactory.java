package io.zonemesh.proxy.snapshot;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.ClusterLoadBalancers;
import io.zonemesh.lb.HostSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

/** Creates a cluster's load balancer; {@link #DEFAULT} is zonemesh-lb's Envoy implementation. */
@FunctionalInterface
public interface LoadBalancerFactory {

    /**
     * zonemesh-lb's balancer, owned by the thread of {@code scheduler}: the proxy's scheduler runs
     * on its xDS executor (Envoy's main thread), which also applies every update, so ejections
     * posted by event loops and the snapshot builds they cause run there too, never on an event
     * loop.
     */
    LoadBalancerFactory DEFAULT = (clusterName, config, hosts, clock, random, scheduler) ->
            ClusterLoadBalancers.create(clusterName, config, hosts, clock, random, scheduler, onThreadOf(scheduler));

    /**
     * Creates the balancer of one cluster.
     *
     * @param scheduler the timers of the balancer (outlier-detection sweep); its thread owns
     *     the balancer's state
     */
    ClusterLoadBalancer create(
            String clusterName,
            ClusterLbConfig config,
            List<HostSpec> hosts,
            Clock clock,
            RandomSource random,
            Scheduler scheduler);

    /** Runs tasks on the scheduler's thread as soon as it is free: a zero-delay timer is a post. */
    static Executor onThreadOf(Scheduler scheduler) {
        return task -> scheduler.schedule(task, Duration.ZERO);
    }
}

package io.zonemesh.lb;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import java.util.List;
import java.util.concurrent.Executor;

/** Creates the load balancer for one cluster. */
public final class ClusterLoadBalancers {
    private ClusterLoadBalancers() {}

    /**
     * Creates the load balancer and, when the config has outlier detection, arms its interval
     * sweep on {@code scheduler}; {@link ClusterLoadBalancer#close()} stops it.
     *
     * @param clock monotonic time for ejection bookkeeping; wall-clock time stamps failover events
     * @param random must be thread-safe (the proxy passes {@link RandomSource#system()})
     * @param scheduler times the outlier-detection interval sweep (the sweep itself runs on
     *     {@code controlExecutor})
     * @param controlExecutor where the balancer's state changes run when the request path or a
     *     timer triggers them: outlier ejections, the interval sweep and the snapshot builds they
     *     cause (the balancer runs them one at a time itself, so the executor need not be serial).
     *     Never an event loop in the proxy, which passes its xDS executor, Envoy's main thread;
     *     {@code Runnable::run} makes every change synchronous on the reporting thread (tests)
     * @throws IllegalArgumentException when two hosts share an {@code address:port}
     */
    public static ClusterLoadBalancer create(
            String clusterName,
            ClusterLbConfig config,
            List<HostSpec> hosts,
            Clock clock,
            RandomSource random,
            Scheduler scheduler,
            Executor controlExecutor) {
        return new DefaultClusterLoadBalancer(clusterName, config, hosts, clock, random, scheduler, controlExecutor);
    }
}

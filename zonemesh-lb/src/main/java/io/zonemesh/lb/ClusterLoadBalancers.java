package io.zonemesh.lb;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import java.util.List;

/** Creates the load balancer for one cluster. */
public final class ClusterLoadBalancers {
    private ClusterLoadBalancers() {}

    /**
     * Creates the load balancer and, when the config has outlier detection, arms its interval
     * sweep on {@code scheduler}; {@link ClusterLoadBalancer#close()} stops it.
     *
     * @param clock monotonic time for ejection bookkeeping
     * @param random must be thread-safe (the proxy passes {@link RandomSource#system()})
     * @param scheduler runs the outlier-detection interval sweep
     * @throws IllegalArgumentException when two hosts share an {@code address:port}
     */
    public static ClusterLoadBalancer create(String clusterName, ClusterLbConfig config, List<HostSpec> hosts,
            Clock clock, RandomSource random, Scheduler scheduler) {
        return new DefaultClusterLoadBalancer(clusterName, config, hosts, clock, random, scheduler);
    }
}

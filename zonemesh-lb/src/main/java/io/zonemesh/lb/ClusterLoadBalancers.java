package io.zonemesh.lb;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import java.util.List;

/** Creates the load balancer for one cluster. */
public final class ClusterLoadBalancers {
    private ClusterLoadBalancers() {}

    /**
     * @param scheduler runs the outlier-detection interval sweep
     * @param random must be thread-safe (the proxy passes {@link RandomSource#system()})
     */
    public static ClusterLoadBalancer create(String clusterName, ClusterLbConfig config, List<HostSpec> hosts,
            Clock clock, RandomSource random, Scheduler scheduler) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}

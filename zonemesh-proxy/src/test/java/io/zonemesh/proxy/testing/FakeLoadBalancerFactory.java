package io.zonemesh.proxy.testing;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.HostSpec;
import io.zonemesh.proxy.snapshot.LoadBalancerFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Creates {@link FakeClusterLoadBalancer}s and remembers them, newest per cluster. */
public final class FakeLoadBalancerFactory implements LoadBalancerFactory {
    private final Map<String, FakeClusterLoadBalancer> byCluster = new ConcurrentHashMap<>();
    private final List<FakeClusterLoadBalancer> created = new CopyOnWriteArrayList<>();

    @Override
    public ClusterLoadBalancer create(
            String clusterName,
            ClusterLbConfig config,
            List<HostSpec> hosts,
            Clock clock,
            RandomSource random,
            Scheduler scheduler) {
        FakeClusterLoadBalancer balancer = new FakeClusterLoadBalancer(clusterName, config, hosts);
        byCluster.put(clusterName, balancer);
        created.add(balancer);
        return balancer;
    }

    public FakeClusterLoadBalancer get(String clusterName) {
        return byCluster.get(clusterName);
    }

    public List<FakeClusterLoadBalancer> created() {
        return List.copyOf(created);
    }
}

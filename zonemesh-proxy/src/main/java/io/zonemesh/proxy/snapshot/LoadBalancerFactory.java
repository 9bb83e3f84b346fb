package io.zonemesh.proxy.snapshot;

import io.zonemesh.common.Clock;
import io.zonemesh.common.RandomSource;
import io.zonemesh.common.Scheduler;
import io.zonemesh.lb.ClusterLbConfig;
import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.ClusterLoadBalancers;
import io.zonemesh.lb.HostSpec;
import java.util.List;

/** Creates a cluster's load balancer; {@link #DEFAULT} is zonemesh-lb's Envoy implementation. */
@FunctionalInterface
public interface LoadBalancerFactory {

    LoadBalancerFactory DEFAULT = ClusterLoadBalancers::create;

    ClusterLoadBalancer create(String clusterName, ClusterLbConfig config, List<HostSpec> hosts, Clock clock,
            RandomSource random, Scheduler scheduler);
}

package io.zonemesh.lb;

import io.zonemesh.common.FakeClock;
import io.zonemesh.common.RandomSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builders and counting helpers shared by the load-balancer tests. */
final class TestHosts {
    private TestHosts() {}

    static HostSpec host(String address, String locality, int priority) {
        return new HostSpec(address, 8080, locality, priority, 1, 1, true, "");
    }

    static HostSpec unhealthy(String address, String locality, int priority) {
        return new HostSpec(address, 8080, locality, priority, 1, 1, false, "");
    }

    /** {@code count} hosts named {@code prefix-i}, the first {@code healthy} of them healthy. */
    static List<HostSpec> hosts(
            String prefix, String locality, int priority, int localityWeight, int count, int healthy) {
        List<HostSpec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new HostSpec(prefix + "-" + i, 8080, locality, priority, localityWeight, 1, i < healthy, ""));
        }
        return out;
    }

    static ClusterLbConfig config(
            LbPolicy policy, double panicThreshold, boolean localityWeighted, OutlierDetectionConfig outlierDetection) {
        return new ClusterLbConfig(policy, 140, panicThreshold, localityWeighted, outlierDetection);
    }

    static DefaultClusterLoadBalancer lb(ClusterLbConfig config, List<HostSpec> hosts, FakeClock clock, long seed) {
        return (DefaultClusterLoadBalancer) ClusterLoadBalancers.create(
                "outbound|80||test.default.svc.cluster.local",
                config,
                hosts,
                clock,
                RandomSource.seeded(seed),
                clock,
                Runnable::run);
    }

    /** Picks {@code n} times and counts picks per the key {@code keyOf} gives each host (null host -> "none"). */
    static Map<String, Integer> pickCounts(
            ClusterLoadBalancer lb, int n, java.util.function.Function<Host, String> keyOf) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Host host = lb.chooseHost(0, Set.of());
            counts.merge(host == null ? "none" : keyOf.apply(host), 1, Integer::sum);
        }
        return counts;
    }

    static Map<String, Integer> pickCountsByAddress(ClusterLoadBalancer lb, int n) {
        return pickCounts(lb, n, h -> h.spec().address());
    }

    static Map<String, Integer> pickCountsByPriority(ClusterLoadBalancer lb, int n) {
        return pickCounts(lb, n, h -> "P" + h.spec().priority());
    }

    static Map<String, Integer> pickCountsByLocality(ClusterLoadBalancer lb, int n) {
        return pickCounts(lb, n, h -> h.spec().locality());
    }

    static List<HostSpec> concat(List<HostSpec> first, List<HostSpec> second) {
        List<HostSpec> out = new ArrayList<>(first);
        out.addAll(second);
        return Collections.unmodifiableList(out);
    }

    static Host find(ClusterLoadBalancer lb, String address) {
        return ((DefaultClusterLoadBalancer) lb)
                .snapshot().priorities().stream()
                        .flatMap(p -> p.all().hosts().stream())
                        .filter(h -> h.spec().address().equals(address))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no host " + address));
    }
}

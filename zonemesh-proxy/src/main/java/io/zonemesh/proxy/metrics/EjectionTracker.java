package io.zonemesh.proxy.metrics;

import io.zonemesh.lb.ClusterLoadBalancer;
import io.zonemesh.lb.ClusterLoadBalancer.HostStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns the per-host ejection counts a load balancer reports into a cluster-wide monotonic
 * count of ejections: hosts that leave and come back restart their own count, which must not
 * make the counter go backwards.
 */
final class EjectionTracker {
    private final Map<String, Integer> lastSeen = new HashMap<>();
    private long total;

    /** Ejections seen so far, after folding in the balancer's current counts. */
    synchronized long total(ClusterLoadBalancer balancer) {
        Set<String> present = new HashSet<>();
        for (HostStatus host : balancer.status()) {
            String key = host.spec().key();
            present.add(key);
            int count = host.ejectionCount();
            int previous = lastSeen.getOrDefault(key, 0);
            if (count > previous) {
                total += count - previous;
            }
            lastSeen.put(key, count);
        }
        lastSeen.keySet().retainAll(present);
        return total;
    }
}

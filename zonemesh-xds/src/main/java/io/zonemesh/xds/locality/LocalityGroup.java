package io.zonemesh.xds.locality;

import io.zonemesh.model.Endpoint;
import io.zonemesh.model.Locality;
import java.util.List;
import java.util.Objects;

/**
 * One {@code LocalityLbEndpoints} in the making: the endpoints of one locality that share a
 * priority. The locality algorithms take and return lists of these; {@link LoadAssignmentRenderer}
 * turns the final list into a {@code ClusterLoadAssignment}.
 *
 * @param priority 0 is best; the algorithms may leave gaps that {@link LocalityGroups#compact} removes
 * @param weight the {@code load_balancing_weight}: the sum of endpoint weights unless
 *     {@code distribute} rewrote it
 */
public record LocalityGroup(Locality locality, int priority, int weight, List<Endpoint> endpoints) {

    public LocalityGroup {
        Objects.requireNonNull(locality, "locality");
        if (priority < 0) {
            throw new IllegalArgumentException("priority: " + priority + " (expected: >= 0)");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: [] (expected: at least one endpoint)");
        }
    }

    /** A group at priority 0 whose weight is the sum of its endpoints' weights. */
    public static LocalityGroup of(Locality locality, List<Endpoint> endpoints) {
        return new LocalityGroup(locality, 0, sumOfWeights(endpoints), endpoints);
    }

    public LocalityGroup withPriority(int newPriority) {
        return new LocalityGroup(locality, newPriority, weight, endpoints);
    }

    public LocalityGroup withWeight(int newWeight) {
        return new LocalityGroup(locality, priority, newWeight, endpoints);
    }

    static int sumOfWeights(List<Endpoint> endpoints) {
        long sum = 0;
        for (Endpoint e : endpoints) {
            sum += e.weight();
        }
        return (int) Math.min(sum, Integer.MAX_VALUE);
    }
}

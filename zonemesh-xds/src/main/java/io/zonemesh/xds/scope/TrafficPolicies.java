package io.zonemesh.xds.scope;

import io.zonemesh.common.Nullable;
import io.zonemesh.model.istio.TrafficPolicy;
import io.zonemesh.model.istio.TrafficPolicy.PortTrafficPolicy;
import java.util.List;

/**
 * Istio's {@code MergeTrafficPolicy} (pilot/pkg/networking/util): the policy of one cluster from
 * a DestinationRule's top-level, subset and port-level policies.
 *
 * <p>Each part ({@code loadBalancer}, {@code connectionPool}, {@code outlierDetection},
 * {@code tls}) is replaced as a whole, never merged field by field: a subset's part replaces the
 * top-level one, then the matching {@code portLevelSettings} entry replaces either. The port-level
 * list is the subset's when it has one, else the top-level's, so top-level port settings still
 * override a subset's own parts (an Istio quirk kept for compatibility).
 */
public final class TrafficPolicies {
    private TrafficPolicies() {}

    /** The merged policy for {@code port}; {@link TrafficPolicy#EMPTY} when nothing is set. */
    public static TrafficPolicy merge(@Nullable TrafficPolicy top, @Nullable TrafficPolicy subset, int port) {
        TrafficPolicy merged = mergeSubset(top, subset);
        if (merged == null) {
            return TrafficPolicy.EMPTY;
        }
        for (PortTrafficPolicy p : merged.portLevelSettings()) {
            if (p.port() == port) {
                return new TrafficPolicy(
                        p.loadBalancer() != null ? p.loadBalancer() : merged.loadBalancer(),
                        p.connectionPool() != null ? p.connectionPool() : merged.connectionPool(),
                        p.outlierDetection() != null ? p.outlierDetection() : merged.outlierDetection(),
                        p.tls() != null ? p.tls() : merged.tls(),
                        List.of());
            }
        }
        return new TrafficPolicy(
                merged.loadBalancer(), merged.connectionPool(), merged.outlierDetection(), merged.tls(), List.of());
    }

    private static @Nullable TrafficPolicy mergeSubset(@Nullable TrafficPolicy top, @Nullable TrafficPolicy subset) {
        if (subset == null) {
            return top;
        }
        if (top == null) {
            return subset;
        }
        return new TrafficPolicy(
                subset.loadBalancer() != null ? subset.loadBalancer() : top.loadBalancer(),
                subset.connectionPool() != null ? subset.connectionPool() : top.connectionPool(),
                subset.outlierDetection() != null ? subset.outlierDetection() : top.outlierDetection(),
                subset.tls() != null ? subset.tls() : top.tls(),
                subset.portLevelSettings().isEmpty() ? top.portLevelSettings() : subset.portLevelSettings());
    }
}

package io.zonemesh.lb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Envoy's zone-aware routing decision for priority 0, made at rebuild time
 * ({@code ZoneAwareLoadBalancerBase::regenerateLocalityRoutingStructures},
 * {@code earlyExitNonLocalityRouting} and {@code calculateLocalityPercentages},
 * {@code load_balancer_impl.cc}), in the same integer basis-point arithmetic.
 *
 * @param state how picks are routed
 * @param localPercentToRoute in {@link State#LOCALITY_RESIDUAL}: basis points of picks that stay
 *     in bucket 0
 * @param residualCapacity in {@link State#LOCALITY_RESIDUAL}: per upstream bucket, the cumulative
 *     capacity (basis points) a zone has beyond its share of the callers; empty otherwise
 */
// An array, not a List<Long>: read on every pick without boxing; plans are never compared or
// hashed, and the array is never handed out of the package.
@SuppressWarnings("ArrayRecordComponent")
record ZoneRoutingPlan(State state, long localPercentToRoute, long[] residualCapacity) {

    /** Envoy's {@code LocalityRoutingState}. */
    enum State {
        NO_LOCALITY_ROUTING,
        LOCALITY_DIRECT,
        LOCALITY_RESIDUAL
    }

    static final ZoneRoutingPlan NONE = new ZoneRoutingPlan(State.NO_LOCALITY_ROUTING, 0, new long[0]);

    /**
     * @param upstream priority 0 of the upstream cluster
     * @param local the local cluster
     * @param upstreamHealthy healthy upstream hosts in priority 0 (all localities)
     * @param upstreamWeight a host's weight under the locality basis
     * @param counters receives {@code lb_local_cluster_not_ok} and {@code lb_zone_cluster_too_small}
     */
    static <U, L> ZoneRoutingPlan compute(
            LocalityBuckets<U> upstream,
            ToLongFunction<U> upstreamWeight,
            LocalityBuckets<L> local,
            ToLongFunction<L> localWeight,
            long upstreamHealthy,
            ZoneAwareLbConfig config,
            LbCounters counters) {
        // earlyExitNonLocalityRouting, in Envoy's order; only the last two count.
        if (upstream.size() < 2) {
            return NONE;
        }
        if (local.size() < 2 && !config.forceLocalZone()) {
            return NONE;
        }
        // All hosts, not healthy ones: a local zone whose callers are all unhealthy still routes
        // (its local share is then 0 %), as Envoy reads localHostSet().hostsPerLocality() here.
        if (!local.hasLocalLocality() || local.all().get(0).isEmpty()) {
            counters.onLocalClusterNotOk();
            return NONE;
        }
        if (upstreamHealthy < config.minClusterSize()) {
            counters.onZoneClusterTooSmall();
            return NONE;
        }
        long[][] percentages = percentages(upstream, upstreamWeight, local, localWeight);
        long[] localPct = percentages[0];
        long[] upPct = percentages[1];
        boolean upstreamHasLocal = upstream.hasLocalLocality();
        // force_local_zone counts hosts whatever the locality basis (envoy PR #39058).
        if (upstreamHasLocal
                && ((upPct[0] > 0 && upPct[0] >= localPct[0])
                        || (config.forceLocalZone()
                                && upstream.healthy().get(0).size() >= config.forceLocalZoneMinSize()))) {
            return new ZoneRoutingPlan(State.LOCALITY_DIRECT, 0, new long[0]);
        }
        // The share the local zone can take without overloading it: local 20 %, upstream 10 % -> 50 %.
        long localPercentToRoute = upstreamHasLocal && localPct[0] > 0 ? upPct[0] * 10000 / localPct[0] : 0;
        long[] residual = new long[upstream.size()];
        for (int i = 0; i < residual.length; i++) {
            long last = i > 0 ? residual[i - 1] : 0;
            // The local zone already took what it could; other zones take their spare capacity.
            boolean spare = !(i == 0 && upstreamHasLocal) && upPct[i] > localPct[i];
            residual[i] = spare ? last + upPct[i] - localPct[i] : last;
        }
        return new ZoneRoutingPlan(State.LOCALITY_RESIDUAL, localPercentToRoute, residual);
    }

    /**
     * {@code calculateLocalityPercentages}: per upstream bucket, the basis points of the local
     * cluster's healthy weight in that locality ({@code [0]}) and of the upstream's ({@code [1]});
     * empty upstream buckets get (0, 0). Local and upstream buckets match by locality, not index
     * (envoy PR #28970), so their counts and orders may differ.
     */
    static <U, L> long[][] percentages(
            LocalityBuckets<U> upstream,
            ToLongFunction<U> upstreamWeight,
            LocalityBuckets<L> local,
            ToLongFunction<L> localWeight) {
        Map<String, Long> localWeights = new HashMap<>();
        long totalLocal = 0;
        for (int i = 0; i < local.size(); i++) {
            long w = weight(local.healthy().get(i), localWeight);
            totalLocal += w;
            if (!local.healthy().get(i).isEmpty()) {
                localWeights.put(local.localities().get(i), w);
            }
        }
        long[] upWeights = new long[upstream.size()];
        long totalUp = 0;
        for (int i = 0; i < upstream.size(); i++) {
            upWeights[i] = weight(upstream.healthy().get(i), upstreamWeight);
            totalUp += upWeights[i];
        }
        long[] localPct = new long[upstream.size()];
        long[] upPct = new long[upstream.size()];
        for (int i = 0; i < upstream.size(); i++) {
            if (upstream.healthy().get(i).isEmpty()) {
                continue;
            }
            long lw = localWeights.getOrDefault(upstream.localities().get(i), 0L);
            localPct[i] = totalLocal > 0 ? 10000 * lw / totalLocal : 0;
            upPct[i] = totalUp > 0 ? 10000 * upWeights[i] / totalUp : 0;
        }
        return new long[][] {localPct, upPct};
    }

    private static <T> long weight(List<T> hosts, ToLongFunction<T> weight) {
        long sum = 0;
        for (T host : hosts) {
            sum += weight.applyAsLong(host);
        }
        return sum;
    }
}

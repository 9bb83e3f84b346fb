package io.zonemesh.lb;

/**
 * Envoy's zone-aware routing stats of one cluster ({@code ALL_CLUSTER_LB_STATS},
 * {@code envoy/upstream/upstream.h}), named as under {@code cluster.<name>.}.
 *
 * @param recalculateZoneStructures {@code lb_recalculate_zone_structures}: rebuilds of the routing
 *     state after priority 0 or the local cluster changed
 * @param zoneClusterTooSmall {@code lb_zone_cluster_too_small}: rebuilds that found fewer healthy
 *     upstream hosts than {@code min_cluster_size}
 * @param localClusterNotOk {@code lb_local_cluster_not_ok}: rebuilds that found no local
 *     host in the proxy's locality, plus picks made while the local cluster was in panic
 * @param zoneNumberDiffers {@code lb_zone_number_differs}: still exported by Envoy, never
 *     incremented since envoy PR #28970; always 0
 * @param zoneRoutingAllDirectly {@code lb_zone_routing_all_directly}: picks sent to the local zone
 *     because it has enough capacity
 * @param zoneRoutingSampled {@code lb_zone_routing_sampled}: picks that stayed local by sampling
 * @param zoneRoutingCrossZone {@code lb_zone_routing_cross_zone}: picks that left the local zone
 * @param zoneNoCapacityLeft {@code lb_zone_no_capacity_left}: cross-zone picks that found no
 *     residual capacity (rounding) and took a random zone
 */
public record ZoneRoutingStats(
        long recalculateZoneStructures,
        long zoneClusterTooSmall,
        long localClusterNotOk,
        long zoneNumberDiffers,
        long zoneRoutingAllDirectly,
        long zoneRoutingSampled,
        long zoneRoutingCrossZone,
        long zoneNoCapacityLeft) {

    /** Nothing counted. */
    public static final ZoneRoutingStats EMPTY = new ZoneRoutingStats(0, 0, 0, 0, 0, 0, 0, 0);
}

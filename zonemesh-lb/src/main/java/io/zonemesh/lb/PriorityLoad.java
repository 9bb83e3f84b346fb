package io.zonemesh.lb;

import java.util.Arrays;
import java.util.Set;

/**
 * How traffic is split across priorities: Envoy's {@code recalculatePerPriorityState},
 * {@code recalculatePerPriorityPanic} and {@code recalculateLoadInTotalPanic}
 * ({@code load_balancer_impl.cc}), in the same integer arithmetic so percentages match Envoy's
 * to the unit. zonemesh has no degraded hosts, so the degraded half of Envoy's computation
 * (degraded availability added into the normalized total, then a second distribution pass
 * over the remainder) is always empty and left out.
 */
final class PriorityLoad {
    private final int[] health;
    private final int[] load;
    private final boolean[] panic;

    private PriorityLoad(int[] health, int[] load, boolean[] panic) {
        this.health = health;
        this.load = load;
        this.panic = panic;
    }

    /**
     * @param hosts hosts per priority (weights are host counts; no {@code weighted_priority_health})
     * @param healthy hosts per priority that are EDS-healthy and not ejected
     */
    static PriorityLoad compute(int[] hosts, int[] healthy, int overprovisioningFactor, int panicThreshold) {
        int levels = hosts.length;
        int[] health = new int[levels];
        for (int i = 0; i < levels; i++) {
            if (hosts[i] > 0) {
                health[i] = (int) Math.min(100L, (long) overprovisioningFactor * healthy[i] / hosts[i]);
            }
        }
        int normalizedTotalAvailability =
                (int) Math.min(100L, Arrays.stream(health).asLongStream().sum());
        int[] load = new int[levels];
        if (normalizedTotalAvailability > 0) {
            distribute(health, load, normalizedTotalAvailability);
        }
        boolean[] panic = new boolean[levels];
        int threshold = Math.min(100, panicThreshold);
        if (threshold == 0 && normalizedTotalAvailability == 0) {
            // Panic disabled and nothing healthy: Envoy assigns 100% to P0 so the loads add up;
            // P0 has no healthy host, so the pick fails ("no healthy upstream").
            load[0] = 100;
            return new PriorityLoad(health, load, panic);
        }
        boolean totalPanic = true;
        for (int i = 0; i < levels; i++) {
            // Never panic while the priorities together can take all the load (NTA == 100).
            panic[i] = normalizedTotalAvailability != 100 && inPanic(hosts[i], healthy[i], threshold);
            totalPanic &= panic[i];
        }
        if (totalPanic) {
            loadInTotalPanic(hosts, load);
        } else if (normalizedTotalAvailability == 0) {
            // Reachable only when some priority has so many hosts that 1.4 x healthy/total rounds
            // to 0 while it is still above the panic threshold; Envoy's choosePriority then falls
            // back to P0, which is what a full P0 load does here.
            load[0] = 100;
        }
        return new PriorityLoad(health, load, panic);
    }

    private static void distribute(int[] health, int[] load, int normalizedTotalAvailability) {
        int firstAvailable = -1;
        int remaining = 100;
        for (int i = 0; i < health.length; i++) {
            if (firstAvailable < 0 && health[i] > 0) {
                firstAvailable = i;
            }
            load[i] = Math.min(remaining, health[i] * 100 / normalizedTotalAvailability);
            remaining -= load[i];
        }
        // Rounding leftovers go to the first priority with any health, as Envoy does.
        load[firstAvailable] += remaining;
    }

    /** {@code isHostSetInPanic}: the plain healthy percentage, not scaled by the overprovisioning factor. */
    static boolean inPanic(int hosts, int healthy, int threshold) {
        double healthyPercent = hosts == 0 ? 0.0 : 100.0 * healthy / hosts;
        return healthyPercent < threshold;
    }

    /** Every priority is in panic: split by host count regardless of health. */
    private static void loadInTotalPanic(int[] hosts, int[] load) {
        long total = Arrays.stream(hosts).asLongStream().sum();
        Arrays.fill(load, 0);
        if (total == 0) {
            load[0] = 100;
            return;
        }
        int remaining = 100;
        int firstNonEmpty = -1;
        for (int i = 0; i < hosts.length; i++) {
            if (firstNonEmpty < 0 && hosts[i] > 0) {
                firstNonEmpty = i;
            }
            load[i] = (int) (100L * hosts[i] / total);
            remaining -= load[i];
        }
        load[firstNonEmpty] += remaining;
    }

    /**
     * The load a {@code previous_priorities} retry uses: the excluded priorities' health counts as
     * 0 and the load is distributed over the rest from P0 down
     * ({@code PreviousPrioritiesRetryPriority::adjustForAttemptedPriorities}); panic flags stay.
     * When no other priority has health left, Envoy resets the exclusions: this load is returned.
     */
    PriorityLoad excluding(Set<Integer> excludedPriorities) {
        if (excludedPriorities.isEmpty()) {
            return this;
        }
        int[] adjusted = health.clone();
        for (int priority : excludedPriorities) {
            if (priority >= 0 && priority < adjusted.length) {
                adjusted[priority] = 0;
            }
        }
        int total = (int) Math.min(100L, Arrays.stream(adjusted).asLongStream().sum());
        if (total == 0) {
            return this;
        }
        int[] adjustedLoad = new int[adjusted.length];
        distribute(adjusted, adjustedLoad, total);
        return new PriorityLoad(health, adjustedLoad, panic);
    }

    /** {@code choosePriority}: {@code h = random % 100 + 1}, then walk the cumulative loads. */
    int choosePriority(int randomPercent) {
        int h = randomPercent + 1;
        int cumulative = 0;
        for (int i = 0; i < load.length; i++) {
            cumulative += load[i];
            if (h <= cumulative) {
                return i;
            }
        }
        return 0;
    }

    int health(int priority) {
        return health[priority];
    }

    int load(int priority) {
        return load[priority];
    }

    boolean panic(int priority) {
        return panic[priority];
    }

    int levels() {
        return load.length;
    }
}

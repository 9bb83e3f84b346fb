package io.zonemesh.lb;

import java.util.List;
import java.util.Objects;

/**
 * One locality failover of a cluster: a snapshot rebuild that moved traffic off priority 0 or
 * into panic (what {@code zonemesh_failover_events_total} counts), with where the traffic went.
 * Envoy keeps no such record; its priority load is only visible as it is now.
 *
 * @param epochMillis wall-clock time of the rebuild, for people to read
 * @param from the priorities that carried traffic before, best first
 * @param to the priorities that carry it after
 */
public record FailoverEvent(long epochMillis, FailoverReason reason, List<PriorityShare> from, List<PriorityShare> to) {
    public FailoverEvent {
        Objects.requireNonNull(reason, "reason");
        from = List.copyOf(from);
        to = List.copyOf(to);
    }

    /**
     * One priority's part of the traffic.
     *
     * @param loadPercent Envoy's priority load (0..100)
     * @param panic whether the priority balances over all its hosts, healthy or not
     * @param localities its localities ({@code region/zone/subzone}) in EDS order
     */
    public record PriorityShare(int priority, int loadPercent, boolean panic, List<String> localities) {
        public PriorityShare {
            localities = List.copyOf(localities);
        }
    }
}

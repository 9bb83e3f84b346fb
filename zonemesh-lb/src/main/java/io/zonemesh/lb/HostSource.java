package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One set of hosts a pick is made from, Envoy's {@code HostsSource}: all hosts of a priority
 * (panic), its healthy hosts, or the healthy hosts of one locality. Immutable apart from the
 * shared {@code cursor}, which lives across snapshots so round robin keeps rotating when hosts
 * are ejected or updated (Envoy keeps {@code rr_indexes_} per source the same way).
 */
final class HostSource {
    private final List<UpstreamHost> hosts;
    private final int[] weights;
    private final @Nullable StrideScheduler scheduler;
    private final AtomicLong cursor;

    private HostSource(List<UpstreamHost> hosts, int[] weights, AtomicLong cursor) {
        this.hosts = hosts;
        this.weights = weights;
        this.cursor = cursor;
        // Envoy builds an EDF only when two or more hosts have different weights; otherwise the
        // cheaper unweighted pick is exact.
        this.scheduler = weightsEqual(weights) ? null : new StrideScheduler(toDoubles(weights));
    }

    static HostSource of(List<Membership.Member> members, AtomicLong cursor) {
        List<UpstreamHost> hosts = new ArrayList<>(members.size());
        int[] weights = new int[members.size()];
        for (int i = 0; i < members.size(); i++) {
            hosts.add(members.get(i).host());
            weights[i] = members.get(i).spec().weight();
        }
        return new HostSource(List.copyOf(hosts), weights, cursor);
    }

    /** This source without the given hosts; shares the cursor. */
    HostSource excluding(Set<Host> excluded) {
        List<UpstreamHost> kept = new ArrayList<>(hosts.size());
        int[] keptWeights = new int[hosts.size()];
        for (int i = 0; i < hosts.size(); i++) {
            if (!excluded.contains(hosts.get(i))) {
                keptWeights[kept.size()] = weights[i];
                kept.add(hosts.get(i));
            }
        }
        return new HostSource(List.copyOf(kept), java.util.Arrays.copyOf(keptWeights, kept.size()), cursor);
    }

    List<UpstreamHost> hosts() {
        return hosts;
    }

    int weight(int index) {
        return weights[index];
    }

    boolean isEmpty() {
        return hosts.isEmpty();
    }

    boolean weighted() {
        return scheduler != null;
    }

    AtomicLong cursor() {
        return cursor;
    }

    /** The next host by weighted round robin; only when {@link #weighted()}. */
    UpstreamHost nextWeighted() {
        return hosts.get(Objects.requireNonNull(scheduler, "not weighted").pick(cursor));
    }

    private static boolean weightsEqual(int[] weights) {
        for (int i = 1; i < weights.length; i++) {
            if (weights[i] != weights[0]) {
                return false;
            }
        }
        return true;
    }

    private static double[] toDoubles(int[] weights) {
        double[] out = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = weights[i];
        }
        return out;
    }
}

package io.zonemesh.lb;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Weighted round robin without locks, for the pick paths Envoy serves with an EDF scheduler
 * (weighted hosts, locality weights). Envoy keeps one EDF per worker thread; a shared EDF would
 * need a lock on every pick, so this uses the static stride scheduling of grpc-java's
 * {@code WeightedRoundRobinLoadBalancer}: weights are scaled so the largest is
 * {@value #MAX_WEIGHT}, a shared sequence number walks the entries, and entry {@code i} is taken
 * in {@code weight_i} of every {@value #MAX_WEIGHT} passes, spread evenly. Over a full cycle each
 * entry gets exactly its scaled share, as with EDF.
 */
final class StrideScheduler {
    static final int MAX_WEIGHT = 0xFFFF;

    private final int[] scaledWeights;

    /** @param weights all positive and finite */
    StrideScheduler(double[] weights) {
        double max = 0;
        for (double w : weights) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight: " + w + " (expected: > 0 and finite)");
            }
            max = Math.max(max, w);
        }
        scaledWeights = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            // A tiny but positive weight still gets a turn now and then, as it would under EDF.
            scaledWeights[i] = (int) Math.max(1, Math.round(weights[i] / max * MAX_WEIGHT));
        }
    }

    int size() {
        return scaledWeights.length;
    }

    /** The next entry index; {@code sequence} is shared by every thread picking from this set. */
    int pick(AtomicLong sequence) {
        int n = scaledWeights.length;
        // The entry with the largest weight (MAX_WEIGHT) is accepted on every pass, so at most
        // n sequence numbers are consumed.
        for (int attempt = 0; attempt < n; attempt++) {
            long seq = sequence.getAndIncrement();
            int index = (int) Long.remainderUnsigned(seq, n);
            long generation = Long.divideUnsigned(seq, n) % MAX_WEIGHT;
            long weight = scaledWeights[index];
            // Offsets stagger the entries so equal weights do not all fire on the same pass.
            long offset = (long) (MAX_WEIGHT / 2) * index % MAX_WEIGHT;
            if ((weight * generation + offset) % MAX_WEIGHT >= MAX_WEIGHT - weight) {
                return index;
            }
        }
        return maxWeightIndex();
    }

    private int maxWeightIndex() {
        int best = 0;
        for (int i = 1; i < scaledWeights.length; i++) {
            if (scaledWeights[i] > scaledWeights[best]) {
                best = i;
            }
        }
        return best;
    }
}

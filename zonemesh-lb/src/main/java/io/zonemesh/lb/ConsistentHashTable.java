package io.zonemesh.lb;

import io.zonemesh.common.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The per-priority lookup structure of a consistent-hash policy, built once per snapshot from
 * the hosts a priority balances over (its healthy hosts, or all of them in panic) and their
 * weights. Immutable; read by every event loop.
 */
abstract sealed class ConsistentHashTable permits ConsistentHashTable.Ring, ConsistentHashTable.Maglev {

    abstract @Nullable UpstreamHost choose(long hash);

    /** Envoy hashes a host by its address as {@code ip:port} ({@code use_hostname_for_hashing} unset). */
    static byte[] key(UpstreamHost host) {
        return host.spec().key().getBytes(StandardCharsets.UTF_8);
    }

    static ConsistentHashTable build(LbPolicy policy, HostSource source, HashConfig config) {
        return policy == LbPolicy.MAGLEV
                ? Maglev.build(source, config.maglevTableSize())
                : Ring.build(source, config.minRingSize(), config.maxRingSize());
    }

    /**
     * {@code RingHashLoadBalancer::Ring}: each host gets {@code scale x normalized weight} points,
     * {@code xxHash64("<ip:port>_<i>")}, sorted; a hash picks the first point at or after it,
     * wrapping to the start. {@code scale} makes the lightest host get at least one point per
     * {@code 1 / minimum_ring_size}, bounded by {@code maximum_ring_size}.
     */
    static final class Ring extends ConsistentHashTable {
        private final long[] hashes;
        private final UpstreamHost[] hosts;

        private Ring(long[] hashes, UpstreamHost[] hosts) {
            this.hashes = hashes;
            this.hosts = hosts;
        }

        static Ring build(HostSource source, long minRingSize, long maxRingSize) {
            List<UpstreamHost> members = source.hosts();
            if (members.isEmpty()) {
                return new Ring(new long[0], new UpstreamHost[0]);
            }
            double total = 0;
            for (int i = 0; i < members.size(); i++) {
                total += source.weight(i);
            }
            double minNormalized = 1;
            for (int i = 0; i < members.size(); i++) {
                minNormalized = Math.min(minNormalized, source.weight(i) / total);
            }
            double scale = Math.min(Math.ceil(minNormalized * minRingSize) / minNormalized, (double) maxRingSize);
            int size = (int) Math.ceil(scale);
            long[] pointHashes = new long[size + members.size()];
            UpstreamHost[] pointHosts = new UpstreamHost[pointHashes.length];
            int points = 0;
            double currentHashes = 0;
            double targetHashes = 0;
            for (int i = 0; i < members.size(); i++) {
                String prefix = members.get(i).spec().key() + "_";
                targetHashes += scale * (source.weight(i) / total);
                for (int n = 0; currentHashes < targetHashes && points < pointHashes.length; n++) {
                    pointHashes[points] = XxHash64.hash((prefix + n).getBytes(StandardCharsets.UTF_8), 0);
                    pointHosts[points] = members.get(i);
                    points++;
                    currentHashes++;
                }
            }
            Integer[] order = new Integer[points];
            for (int i = 0; i < points; i++) {
                order[i] = i;
            }
            long[] hashesSorted = Arrays.copyOf(pointHashes, points);
            Arrays.sort(order, (a, b) -> Long.compareUnsigned(hashesSorted[a], hashesSorted[b]));
            long[] hashes = new long[points];
            UpstreamHost[] hosts = new UpstreamHost[points];
            for (int i = 0; i < points; i++) {
                hashes[i] = pointHashes[order[i]];
                hosts[i] = pointHosts[order[i]];
            }
            return new Ring(hashes, hosts);
        }

        @Override
        @Nullable
        UpstreamHost choose(long hash) {
            if (hashes.length == 0) {
                return null;
            }
            int low = 0;
            int high = hashes.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (Long.compareUnsigned(hashes[mid], hash) < 0) {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            return hosts[low == hashes.length ? 0 : low];
        }

        int size() {
            return hashes.length;
        }
    }

    /**
     * {@code MaglevTable}: each host walks its permutation {@code (offset + skip x n) mod size}
     * ({@code offset = xxHash64(key) mod size}, {@code skip = xxHash64(key, seed 1) mod (size - 1) + 1})
     * and claims the next free slot, heavier hosts more often (a host of the largest weight every
     * round, one of a third of it every third round); a hash picks slot {@code hash mod size}.
     */
    static final class Maglev extends ConsistentHashTable {
        private final UpstreamHost[] table;

        private Maglev(UpstreamHost[] table) {
            this.table = table;
        }

        static Maglev build(HostSource source, int tableSize) {
            List<UpstreamHost> members = source.hosts();
            if (members.isEmpty()) {
                return new Maglev(new UpstreamHost[0]);
            }
            int n = members.size();
            long[] offset = new long[n];
            long[] skip = new long[n];
            long[] next = new long[n];
            double[] weight = new double[n];
            double[] target = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += source.weight(i);
            }
            double maxWeight = 0;
            for (int i = 0; i < n; i++) {
                byte[] key = key(members.get(i));
                offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), tableSize);
                skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), tableSize - 1) + 1;
                weight[i] = source.weight(i) / total;
                maxWeight = Math.max(maxWeight, weight[i]);
            }
            UpstreamHost[] table = new UpstreamHost[tableSize];
            int filled = 0;
            for (long iteration = 1; filled < tableSize; iteration++) {
                for (int i = 0; i < n && filled < tableSize; i++) {
                    if (iteration * weight[i] < target[i]) {
                        continue;
                    }
                    target[i] += maxWeight;
                    long slot = (offset[i] + skip[i] * next[i]) % tableSize;
                    while (table[(int) slot] != null) {
                        next[i]++;
                        slot = (offset[i] + skip[i] * next[i]) % tableSize;
                    }
                    table[(int) slot] = members.get(i);
                    next[i]++;
                    filled++;
                }
            }
            return new Maglev(table);
        }

        @Override
        @Nullable
        UpstreamHost choose(long hash) {
            return table.length == 0 ? null : table[(int) Long.remainderUnsigned(hash, table.length)];
        }
    }
}

package io.zonemesh.lb;

import io.zonemesh.common.RandomSource;

/**
 * Picks one host out of a non-empty {@link HostSource}: the cluster's {@code lb_policy} applied
 * after the priority and locality are chosen. Implementations are stateless apart from the
 * source's shared cursor, so one instance serves every event loop.
 */
abstract class HostSelector {
    final RandomSource random;

    HostSelector(RandomSource random) {
        this.random = random;
    }

    abstract UpstreamHost select(HostSource source);

    static HostSelector forPolicy(LbPolicy policy, RandomSource random) {
        return switch (policy) {
            case ROUND_ROBIN -> new RoundRobin(random);
            // Consistent-hash picks go through the hash tables; a selector is only a fallback.
            case RANDOM, RING_HASH, MAGLEV -> new Random(random);
            case LEAST_REQUEST -> new LeastRequest(random);
        };
    }

    /**
     * {@code RoundRobinLoadBalancer}: one shared index per source when weights are equal (Envoy
     * keeps one per worker thread), weighted round robin otherwise.
     */
    static final class RoundRobin extends HostSelector {
        RoundRobin(RandomSource random) {
            super(random);
        }

        @Override
        UpstreamHost select(HostSource source) {
            if (source.weighted()) {
                return source.nextWeighted();
            }
            int n = source.hosts().size();
            return source.hosts()
                    .get((int) Long.remainderUnsigned(source.cursor().getAndIncrement(), n));
        }
    }

    /** {@code RandomLoadBalancer}: uniform; Envoy ignores host weights for RANDOM. */
    static final class Random extends HostSelector {
        Random(RandomSource random) {
            super(random);
        }

        @Override
        UpstreamHost select(HostSource source) {
            return source.hosts().get(random.nextInt(source.hosts().size()));
        }
    }

    /**
     * {@code LeastRequestLoadBalancer}. Equal weights: {@code choice_count} (2) random samples,
     * with replacement, keeping the one with fewer active requests; a tie keeps the earlier
     * sample. Different weights: Envoy runs EDF on {@code weight / (active + 1)}
     * ({@code active_request_bias} 1.0); sampling in proportion to that same dynamic weight gives
     * the share EDF converges to, without a shared mutable schedule.
     */
    static final class LeastRequest extends HostSelector {
        static final int CHOICE_COUNT = 2;

        LeastRequest(RandomSource random) {
            super(random);
        }

        @Override
        UpstreamHost select(HostSource source) {
            return source.weighted() ? weighted(source) : powerOfChoices(source);
        }

        private UpstreamHost powerOfChoices(HostSource source) {
            int n = source.hosts().size();
            UpstreamHost candidate = source.hosts().get(random.nextInt(n));
            for (int choice = 1; choice < CHOICE_COUNT; choice++) {
                UpstreamHost sampled = source.hosts().get(random.nextInt(n));
                if (sampled.activeRequests() < candidate.activeRequests()) {
                    candidate = sampled;
                }
            }
            return candidate;
        }

        private UpstreamHost weighted(HostSource source) {
            int n = source.hosts().size();
            double[] cumulative = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += (double) source.weight(i) / (source.hosts().get(i).activeRequests() + 1L);
                cumulative[i] = total;
            }
            double target = random.nextDouble() * total;
            for (int i = 0; i < n; i++) {
                if (target < cumulative[i]) {
                    return source.hosts().get(i);
                }
            }
            return source.hosts().get(n - 1);
        }
    }
}

package io.zonemesh.common;

import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one source of randomness in zonemesh (load-balancer picks, jitter). Tests use
 * {@link #seeded(long)} to make picks reproducible.
 */
public interface RandomSource {

    /** A uniformly distributed int in {@code [0, bound)}. */
    int nextInt(int bound);

    /** A uniformly distributed long in {@code [0, bound)}. */
    long nextLong(long bound);

    /** A uniformly distributed double in {@code [0, 1)}. */
    double nextDouble();

    /** Thread-safe, contention-free randomness for production. */
    static RandomSource system() {
        return ThreadLocalSource.INSTANCE;
    }

    /**
     * Reproducible randomness. Not thread-safe: give each thread (or event loop) its own,
     * or call from one thread only.
     */
    static RandomSource seeded(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return new RandomSource() {
            @Override
            public int nextInt(int bound) {
                return random.nextInt(bound);
            }

            @Override
            public long nextLong(long bound) {
                return random.nextLong(bound);
            }

            @Override
            public double nextDouble() {
                return random.nextDouble();
            }
        };
    }

    /**
     * Reproducible and thread-safe: one seeded sequence shared under a lock. For tests and demos
     * that want repeatable picks from code that may run on several threads (though not at once).
     */
    static RandomSource seededThreadSafe(long seed) {
        RandomSource inner = seeded(seed);
        return new RandomSource() {
            @Override
            public synchronized int nextInt(int bound) {
                return inner.nextInt(bound);
            }

            @Override
            public synchronized long nextLong(long bound) {
                return inner.nextLong(bound);
            }

            @Override
            public synchronized double nextDouble() {
                return inner.nextDouble();
            }
        };
    }

    /** Backed by {@link ThreadLocalRandom}, the only place that reads it. */
    enum ThreadLocalSource implements RandomSource {
        INSTANCE;

        @Override
        public int nextInt(int bound) {
            return ThreadLocalRandom.current().nextInt(bound);
        }

        @Override
        public long nextLong(long bound) {
            return ThreadLocalRandom.current().nextLong(bound);
        }

        @Override
        public double nextDouble() {
            return ThreadLocalRandom.current().nextDouble();
        }
    }
}

package io.zonemesh.lb;

/**
 * The parameters of the consistent-hash policies: {@code ring_hash_lb_config} and
 * {@code maglev_lb_config}, with Envoy's defaults.
 *
 * @param minRingSize {@code minimum_ring_size}, default 1024
 * @param maxRingSize {@code maximum_ring_size}, default 8M
 * @param maglevTableSize {@code table_size}, default 65537 (must be prime)
 */
public record HashConfig(long minRingSize, long maxRingSize, int maglevTableSize) {

    public static final HashConfig ENVOY_DEFAULTS = new HashConfig(1024, 8 * 1024 * 1024, 65537);

    public HashConfig {
        if (minRingSize < 1 || maxRingSize < minRingSize || maxRingSize > 8 * 1024 * 1024) {
            throw new IllegalArgumentException("minRingSize: " + minRingSize + ", maxRingSize: " + maxRingSize
                    + " (expected: 1 <= min <= max <= 8M)");
        }
        if (maglevTableSize < 2
                || !java.math.BigInteger.valueOf(maglevTableSize).isProbablePrime(30)) {
            throw new IllegalArgumentException("maglevTableSize: " + maglevTableSize + " (expected: a prime)");
        }
    }
}

package io.zonemesh.proxy.config;

import io.zonemesh.common.RandomSource;

/** Envoy's {@code FractionalPercent}: numerator over 100, 10,000 or 1,000,000. */
public record Fraction(long numerator, long denominator) {

    /** 100%. */
    public static final Fraction ALL = new Fraction(100, 100);

    public Fraction {
        if (numerator < 0) {
            throw new IllegalArgumentException("numerator: " + numerator + " (expected: >= 0)");
        }
        if (denominator != 100 && denominator != 10_000 && denominator != 1_000_000) {
            throw new IllegalArgumentException("denominator: " + denominator + " (expected: 100, 10000 or 1000000)");
        }
    }

    /**
     * One draw, as Envoy's {@code evaluateFractionalPercent}: a random value modulo the
     * denominator below the numerator; a numerator past the denominator always applies.
     */
    public boolean roll(RandomSource random) {
        return numerator > 0 && random.nextLong(denominator) < numerator;
    }
}

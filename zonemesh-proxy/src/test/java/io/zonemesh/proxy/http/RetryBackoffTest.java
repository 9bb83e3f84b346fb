package io.zonemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.RandomSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    /** Always draws the top of the range, and remembers the ranges asked for. */
    private static final class Highest implements RandomSource {
        final List<Long> bounds = new ArrayList<>();

        @Override
        public int nextInt(int bound) {
            return bound - 1;
        }

        @Override
        public long nextLong(long bound) {
            bounds.add(bound);
            return bound - 1;
        }

        @Override
        public double nextDouble() {
            return 0.999;
        }
    }

    @Test
    void rangeGrowsAsTwoToTheNMinusOneTimesBaseAndIsCappedAtMax() {
        Highest random = new Highest();
        RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(25), Duration.ofMillis(250), random);

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(backoff.nextMillis());
        }

        assertThat(waits).containsExactly(24L, 74L, 174L, 250L, 250L, 250L);
        // Once (2^n - 1) x base passes the max the range stops growing, as Envoy's does.
        assertThat(random.bounds).containsExactly(25L, 75L, 175L, 375L, 375L, 375L);
    }

    @Test
    void fullJitterCanDrawZero() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(25), Duration.ofMillis(250), RandomSource.seeded(3));

        long min = Long.MAX_VALUE;
        for (int i = 0; i < 200; i++) {
            RetryBackoff fresh =
                    new RetryBackoff(Duration.ofMillis(25), Duration.ofMillis(250), RandomSource.seeded(i));
            min = Math.min(min, fresh.nextMillis());
        }

        assertThat(backoff.nextMillis()).isBetween(0L, 24L);
        assertThat(min).isZero();
    }
}

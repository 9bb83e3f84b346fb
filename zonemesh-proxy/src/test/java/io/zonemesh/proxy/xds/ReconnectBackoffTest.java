package io.zonemesh.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonemesh.common.RandomSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** grpc-java's exponential backoff with the proxy's cap. */
class ReconnectBackoffTest {
    /** No jitter drawn: {@code nextLong(2s+1) - s} is 0 when it returns {@code s}. */
    private static final RandomSource MIDDLE = new RandomSource() {
        @Override
        public int nextInt(int bound) {
            return bound / 2;
        }

        @Override
        public long nextLong(long bound) {
            return bound / 2;
        }

        @Override
        public double nextDouble() {
            return 0.5;
        }
    };

    @Test
    void growsByOnePointSixUpToTheCapAndStartsOverOnReset() {
        ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5), MIDDLE);
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            millis.add(backoff.nextDelay().toMillis());
        }
        assertThat(millis).containsExactly(1_000L, 1_600L, 2_560L, 4_096L, 5_000L, 5_000L, 5_000L);
        backoff.reset();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void jitterStaysWithinTwentyPercentEitherWay() {
        ReconnectBackoff backoff =
                new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5), RandomSource.seeded(3));
        for (int i = 0; i < 200; i++) {
            Duration d = backoff.nextDelay();
            assertThat(d).isBetween(Duration.ofMillis(800), Duration.ofMillis(6_000));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.nextDelay())
                    .as("at the cap")
                    .isBetween(Duration.ofMillis(4_000), Duration.ofMillis(6_000));
        }
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), MIDDLE))
                .hasMessage("max: PT1S (expected: >= initial PT2S)");
        assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1), MIDDLE))
                .hasMessage("initial: PT0S (expected: > 0)");
    }
}

package io.zonemesh.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysGrowExponentiallyUpToTheMaximumAndStayJittered() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), RandomSource.seeded(7));
        assertThat(backoff.ceilingNanos(0)).isEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(backoff.ceilingNanos(1)).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(backoff.ceilingNanos(4)).isEqualTo(Duration.ofMillis(1600).toNanos());
        assertThat(backoff.ceilingNanos(5)).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(backoff.ceilingNanos(100)).isEqualTo(Duration.ofSeconds(2).toNanos());

        for (int i = 0; i < 50; i++) {
            Duration d = backoff.nextDelay();
            assertThat(d).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
        }
    }

    @Test
    void resetStartsOverFromTheBase() {
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofSeconds(10), RandomSource.seeded(1));
        for (int i = 0; i < 10; i++) {
            backoff.nextDelay();
        }
        backoff.reset();
        assertThat(backoff.nextDelay()).isLessThanOrEqualTo(Duration.ofMillis(10));
    }

    @Test
    void jitterSpreadsDelaysAcrossTheWholeWindow() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), RandomSource.seeded(3));
        long below = 0;
        for (int i = 0; i < 1000; i++) {
            if (backoff.nextDelay().compareTo(Duration.ofMillis(500)) < 0) {
                below++;
            }
        }
        assertThat(below).isBetween(400L, 600L);
    }

    @Test
    void rejectsNonsenseBounds() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), RandomSource.seeded(1)))
                .hasMessageContaining("base");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), RandomSource.seeded(1)))
                .hasMessageContaining("max");
    }

    @Test
    void fakeClockRunsDueTasksInOrder() {
        FakeClock clock = new FakeClock();
        StringBuilder order = new StringBuilder();
        clock.schedule(() -> order.append('b'), Duration.ofSeconds(2));
        clock.schedule(() -> order.append('a'), Duration.ofSeconds(1));
        clock.schedule(() -> order.append('c'), Duration.ofSeconds(3));
        clock.advance(Duration.ofMillis(2500));
        assertThat(order).hasToString("ab");
        assertThat(clock.pendingTasks()).hasSize(1);
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(2500).toNanos());
    }
}

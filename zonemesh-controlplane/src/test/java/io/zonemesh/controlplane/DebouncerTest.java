package io.zonemesh.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonemesh.common.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DebouncerTest {
    private final FakeClock clock = new FakeClock();
    private final List<Integer> pushed = new ArrayList<>();
    private final Debouncer<Integer> debouncer =
            new Debouncer<>(clock, clock, Duration.ofMillis(100), Duration.ofSeconds(10), pushed::add);

    @Test
    void pushesOnlyTheLatestValueOnceQuiet() {
        debouncer.submit(1);
        clock.advance(Duration.ofMillis(50));
        debouncer.submit(2);
        clock.advance(Duration.ofMillis(99));
        assertThat(pushed).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(pushed).containsExactly(2);
        assertThat(clock.pendingTasks()).isEmpty();
    }

    @Test
    void constantChurnStillPushesWithinTheMaximum() {
        for (int i = 0; i < 200; i++) { // a change every 60 ms for 12 s
            debouncer.submit(i);
            clock.advance(Duration.ofMillis(60));
        }
        // The first burst is cut at 10 s; the rest follows after the last change went quiet.
        assertThat(pushed).hasSize(1);
        assertThat(pushed.get(0)).isBetween(160, 170);
        clock.advance(Duration.ofMillis(100));
        assertThat(pushed).hasSize(2).last().isEqualTo(199);
        assertThat(clock.pendingTasks()).isEmpty();
    }

    @Test
    void separateBurstsArePushedSeparately() {
        debouncer.submit(1);
        clock.advance(Duration.ofSeconds(1));
        debouncer.submit(2);
        clock.advance(Duration.ofSeconds(1));
        assertThat(pushed).containsExactly(1, 2);
    }
}

package io.zonemesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    @Test
    void runsOnTheExecutorAndIgnoresTasksAfterShutdown() throws Exception {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        Scheduler scheduler = Scheduler.of(executor);
        CountDownLatch ran = new CountDownLatch(1);
        scheduler.schedule(ran::countDown, Duration.ofMillis(1));
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();

        CountDownLatch cancelled = new CountDownLatch(1);
        scheduler.schedule(cancelled::countDown, Duration.ofSeconds(30)).cancel();
        executor.shutdown();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelled.getCount()).isEqualTo(1);

        Scheduler.Cancellable late = scheduler.schedule(() -> {}, Duration.ZERO);
        late.cancel(); // a no-op handle, not an exception
    }
}

package io.zonemesh.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
    private final FakeExecutor drainer = new FakeExecutor();
    private final SerialExecutor serial = new SerialExecutor("test", drainer);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @Test
    void postLeavesTheTaskToTheDrainerAndExecuteRunsOnTheCaller() {
        serial.post(() -> ran.add("posted"));
        assertThat(ran).isEmpty();

        serial.execute(() -> ran.add("executed"));

        // The owner's execute drains in order, the posted task first.
        assertThat(ran).containsExactly("posted", "executed");
        assertThat(drainer.runAll()).isEqualTo(1);
        assertThat(ran).hasSize(2);
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesAfterIt() {
        serial.post(() -> {
            throw new IllegalStateException("boom");
        });
        serial.post(() -> ran.add("after"));

        drainer.runAll();

        assertThat(ran).containsExactly("after");
    }

    @Test
    void aTaskQueuedInsideATaskRunsAfterItInTheSameDrain() {
        serial.execute(() -> {
            serial.execute(() -> ran.add("inner"));
            ran.add("outer");
        });

        assertThat(ran).containsExactly("outer", "inner");
    }

    @Test
    void aSubmitterNeverWaitsForAnotherThreadsDrain() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> draining = owner.submit(() -> serial.execute(() -> {
                inside.countDown();
                awaitQuietly(release);
                ran.add("slow on " + Thread.currentThread().getName());
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            serial.execute(() -> ran.add("queued on " + Thread.currentThread().getName()));

            assertThat(ran).as("returned without running or waiting").isEmpty();
            release.countDown();
            draining.get(10, TimeUnit.SECONDS);
            String ownerThread = ran.get(0).substring("slow on ".length());
            assertThat(ran).containsExactly("slow on " + ownerThread, "queued on " + ownerThread);
        } finally {
            owner.shutdownNow();
            assertThat(owner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

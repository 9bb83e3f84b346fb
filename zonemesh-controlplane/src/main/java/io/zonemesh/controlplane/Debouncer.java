package io.zonemesh.controlplane;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import io.zonemesh.common.Scheduler;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Istio's push debounce: a change is pushed once no further change has arrived for
 * {@code quiet} ({@code PILOT_DEBOUNCE_AFTER}, 100 ms), but never later than {@code max} after
 * the first change of the burst ({@code PILOT_DEBOUNCE_MAX}, 10 s), so constant churn still
 * converges. Only the latest value is pushed. Confined to the push thread: every method must be
 * called from the scheduler's thread.
 */
final class Debouncer<T> {
    private final Clock clock;
    private final Scheduler scheduler;
    private final Duration quiet;
    private final Duration max;
    private final Consumer<T> push;
    private @Nullable T pending;
    private long burstStartNanos;
    private Scheduler.@Nullable Cancellable timer;

    Debouncer(Clock clock, Scheduler scheduler, Duration quiet, Duration max, Consumer<T> push) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.quiet = quiet;
        this.max = max;
        this.push = push;
    }

    void submit(T value) {
        long now = clock.nanoTime();
        if (pending == null) {
            burstStartNanos = now;
        }
        pending = value;
        if (timer != null) {
            timer.cancel();
        }
        long deadline = Math.min(now + quiet.toNanos(), burstStartNanos + max.toNanos());
        timer = scheduler.schedule(this::fire, Duration.ofNanos(Math.max(0, deadline - now)));
    }

    private void fire() {
        T value = pending;
        pending = null;
        timer = null;
        if (value != null) {
            push.accept(value);
        }
    }
}

package io.zonemesh.proxy.metrics;

import io.zonemesh.common.Clock;

/** Micrometer reads time through zonemesh's clock, so tests with a FakeClock see fake time. */
final class MicrometerClock implements io.micrometer.core.instrument.Clock {
    private final Clock clock;

    MicrometerClock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long wallTime() {
        return clock.currentTimeMillis();
    }

    @Override
    public long monotonicTime() {
        return clock.nanoTime();
    }
}

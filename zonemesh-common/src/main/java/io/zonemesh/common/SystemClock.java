package io.zonemesh.common;

/** {@link Clock} backed by the JVM's clocks; the only place that reads them. */
enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }
}

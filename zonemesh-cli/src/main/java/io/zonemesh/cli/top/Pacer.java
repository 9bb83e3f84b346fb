package io.zonemesh.cli.top;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits out the refresh interval unless the user stopped the loop; tests advance a fake clock instead. */
@FunctionalInterface
interface Pacer {
    /** Waits {@code interval}; false when the loop is to end (stdin closed, interrupted). */
    boolean await(Duration interval) throws InterruptedException;

    /**
     * A pacer that only waits: {@code --once} does not read stdin, so it works in a pipeline and
     * leaves stdin to whoever else reads it.
     */
    static Pacer waiting() {
        CountDownLatch never = new CountDownLatch(1);
        return interval -> !never.await(interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * A pacer that stops once {@code stdin} ends (Ctrl-D, a closed pipe): a daemon thread reads
     * it to the end. Ctrl-C ends the JVM as for any command.
     */
    static Pacer untilEndOf(InputStream stdin) {
        CountDownLatch closed = new CountDownLatch(1);
        Thread reader = new Thread(
                () -> {
                    try {
                        byte[] buffer = new byte[256];
                        while (stdin.read(buffer) >= 0) {
                            // Keystrokes are ignored; only the end of the stream matters.
                        }
                    } catch (IOException e) {
                        // An unreadable stdin counts as closed.
                    } finally {
                        closed.countDown();
                    }
                },
                "zonemesh-top-stdin");
        reader.setDaemon(true);
        reader.start();
        return interval -> !closed.await(interval.toNanos(), TimeUnit.NANOSECONDS);
    }
}

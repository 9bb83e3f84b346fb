package io.zonemesh.bench.ads;

import io.zonemesh.common.Clock;
import io.zonemesh.common.Nullable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * What every simulated proxy has ACKed and when, per xDS type, and the first stream failure.
 * Written from the gRPC threads, awaited from the harness thread.
 */
final class AckLog {
    private final Clock clock;
    private final int clients;
    private final Map<String, String[]> versions = new HashMap<>();
    private final Map<String, long[]> times = new HashMap<>();
    private @Nullable String failure;

    AckLog(Clock clock, int clients) {
        this.clock = clock;
        this.clients = clients;
        for (String type : new String[] {XdsTypes.CDS, XdsTypes.EDS, XdsTypes.LDS, XdsTypes.RDS}) {
            versions.put(type, new String[clients]);
            times.put(type, new long[clients]);
        }
    }

    int clients() {
        return clients;
    }

    synchronized void acked(int client, String typeUrl, String version, long nanos) {
        String[] v = versions.get(typeUrl);
        if (v == null) {
            fail("client " + client + " got an unexpected type " + typeUrl);
            return;
        }
        v[client] = version;
        Objects.requireNonNull(times.get(typeUrl))[client] = nanos; // kept in step with versions
        notifyAll();
    }

    synchronized void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        notifyAll();
    }

    /** The version {@code client} last ACKed for a type, or null before its first ACK. */
    synchronized @Nullable String version(int client, String typeUrl) {
        return Objects.requireNonNull(versions.get(typeUrl), typeUrl)[client];
    }

    /** When {@code client} last ACKed a type (the clock's nanoseconds). */
    synchronized long ackedAt(int client, String typeUrl) {
        return Objects.requireNonNull(times.get(typeUrl), typeUrl)[client];
    }

    /** Whether {@code client} has ACKed every type it subscribes to at least once. */
    synchronized boolean synced(int client) {
        for (String[] v : versions.values()) {
            if (v[client] == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits until {@code done} holds for every client.
     *
     * @throws TimeoutException with how many clients were still missing
     * @throws IllegalStateException when a stream failed
     */
    synchronized void awaitAll(IntPredicate done, Duration timeout, String what)
            throws TimeoutException, InterruptedException {
        long deadline = clock.nanoTime() + timeout.toNanos();
        int first = 0;
        while (true) {
            if (failure != null) {
                throw new IllegalStateException("while waiting for " + what + ": " + failure);
            }
            // Clients finish roughly in order; resume the scan where it stopped.
            while (first < clients && done.test(first)) {
                first++;
            }
            if (first == clients) {
                return;
            }
            long left = deadline - clock.nanoTime();
            if (left <= 0) {
                int missing = 0;
                for (int c = first; c < clients; c++) {
                    missing += done.test(c) ? 0 : 1;
                }
                throw new TimeoutException("timed out after " + timeout.toSeconds() + " s waiting for " + what + ": "
                        + missing + " of " + clients + " clients not there yet");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}

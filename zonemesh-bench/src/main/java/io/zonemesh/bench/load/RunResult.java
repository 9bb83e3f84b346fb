package io.zonemesh.bench.load;

import java.util.Map;

/**
 * What one open-loop run measured.
 *
 * @param scheduled requests the fixed schedule called for
 * @param ok 2xx responses; {@code non2xx} other statuses; {@code errors} transport failures,
 *     timeouts and requests still queued or in flight when the run ended
 * @param latency from each request's intended send time to its response (no coordinated omission)
 * @param serviceTime from the moment the request was actually written to its response
 * @param maxQueued most requests that were due but waiting for a free connection at once
 * @param achievedRate completed requests per second of the schedule's duration
 */
public record RunResult(
        String target,
        double rate,
        double durationSeconds,
        long scheduled,
        long ok,
        long non2xx,
        long errors,
        Map<String, Long> errorKinds,
        LatencyStats.Summary latency,
        LatencyStats.Summary serviceTime,
        int maxQueued,
        double achievedRate) {
    public RunResult {
        errorKinds = Map.copyOf(errorKinds);
    }

    public long failed() {
        return non2xx + errors;
    }
}

package io.zonemesh.bench.failover;

import java.util.Map;

/**
 * One zone-loss run: a steady open-loop rate from az01's client through its sidecar; az01's
 * helloworld instances stop {@code beforeSeconds} into the measurement.
 *
 * @param failed requests answered with a non-2xx status or a transport error (whole run)
 * @param failedAfterStop of those, the ones answered after the stop began
 * @param az01AfterStop successful answers from az01 completed after the stop began (the instance
 *     answers until its listener is closed, which takes {@code stopMillis})
 * @param msUntilAllAz02 from the moment az01's instances were down (stop returned) to the last
 *     answer that did not come from az02 (a failure or a late az01 answer); 0 when every answer
 *     completed after that moment came from az02
 * @param stopMillis how long stopping the instances took (closing the listener and its connections)
 */
public record FailoverRun(
        String mode,
        int run,
        double rate,
        long scheduled,
        long ok,
        long failed,
        long failedAfterStop,
        long az01AfterStop,
        long az02AfterStop,
        double msUntilAllAz02,
        double stopMillis,
        double p99Ms,
        double maxMs,
        Map<String, Long> errorKinds) {
    public FailoverRun {
        errorKinds = Map.copyOf(errorKinds);
    }
}

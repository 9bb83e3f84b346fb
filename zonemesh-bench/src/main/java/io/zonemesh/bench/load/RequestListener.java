package io.zonemesh.bench.load;

import io.zonemesh.common.Nullable;

/** Told about every request of an open-loop run, on the sender's event loop; must not block. */
@FunctionalInterface
public interface RequestListener {
    RequestListener NONE = (intended, done, status, body, error) -> {};

    /**
     * Reports the outcome of one request.
     *
     * @param intendedNanos when the schedule said the request should be sent (clock nanos)
     * @param doneNanos when its response (or failure) arrived
     * @param status the HTTP status, or 0 on a transport failure or timeout
     * @param body the response body when the sender captures bodies, else null
     * @param error what failed when status is 0, else null
     */
    void onResult(long intendedNanos, long doneNanos, int status, @Nullable String body, @Nullable String error);
}

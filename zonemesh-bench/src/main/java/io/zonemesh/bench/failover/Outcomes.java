package io.zonemesh.bench.failover;

import io.zonemesh.bench.load.RequestListener;
import io.zonemesh.common.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every request's outcome in a failover run: when it completed and which zone answered (by the
 * instance name in the echo app's body), or that it failed. Written on the sender's event loop,
 * read once the run is over.
 */
final class Outcomes implements RequestListener {
    static final String FAILED = "failed";
    private static final Pattern INSTANCE = Pattern.compile("instance: (\\S+)");

    private final Map<String, String> zoneOfPod;
    private final List<Outcome> all = new ArrayList<>();

    /** @param zoneOfPod the zone of every backend pod, by pod name */
    Outcomes(Map<String, String> zoneOfPod) {
        this.zoneOfPod = Map.copyOf(zoneOfPod);
    }

    record Outcome(long intendedNanos, long doneNanos, String zone) {}

    @Override
    public void onResult(
            long intendedNanos, long doneNanos, int status, @Nullable String body, @Nullable String error) {
        String zone = FAILED;
        if (status >= 200 && status < 300 && body != null) {
            Matcher m = INSTANCE.matcher(body);
            zone = m.find() ? zoneOfPod.getOrDefault(m.group(1), "?") : "?";
        }
        all.add(new Outcome(intendedNanos, doneNanos, zone));
    }

    List<Outcome> all() {
        return all;
    }
}

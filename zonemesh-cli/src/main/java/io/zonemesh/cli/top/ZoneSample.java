package io.zonemesh.cli.top;

import io.zonemesh.cli.top.ZoneTraffic.Traffic;
import io.zonemesh.cli.top.ZoneTraffic.ZonePair;
import java.util.List;
import java.util.Map;

/**
 * Every reached proxy's cumulative traffic by zone pair at one moment.
 *
 * @param nanos the monotonic time of the scrape
 * @param byProxy per proxy (its name), its counters by zone pair
 * @param unreachable proxies not read, each with why
 * @param failovers the proxies' recent failover events, newest first
 */
record ZoneSample(
        long nanos,
        Map<String, Map<ZonePair, Traffic>> byProxy,
        List<String> unreachable,
        List<FailoverRow> failovers) {
    ZoneSample {
        byProxy = Map.copyOf(byProxy);
        unreachable = List.copyOf(unreachable);
        failovers = List.copyOf(failovers);
    }

    /** A failover event as a proxy's {@code /zonemesh/failover_events} lists it. */
    record FailoverRow(
            String proxy, long epochMillis, String time, String cluster, String reason, String from, String to) {}
}

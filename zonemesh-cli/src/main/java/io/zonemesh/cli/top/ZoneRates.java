package io.zonemesh.cli.top;

import io.zonemesh.cli.top.ZoneTraffic.Traffic;
import io.zonemesh.cli.top.ZoneTraffic.ZonePair;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests and bytes per second by zone pair between two samples, and what the cross-zone part
 * costs.
 *
 * @param seconds the time between the samples
 * @param perSecond the rates by zone pair, sorted
 */
record ZoneRates(double seconds, Map<ZonePair, Traffic> perSecond) {
    /** Decimal gigabytes, as the clouds bill data transfer. */
    static final double BYTES_PER_GB = 1e9;

    static final double SECONDS_PER_DAY = 86_400;

    ZoneRates {
        perSecond = Map.copyOf(perSecond);
    }

    /**
     * The rates from {@code older} to {@code newer}, summed over the proxies read both times. A
     * counter lower than before means its proxy restarted: as Prometheus' {@code rate()}, the new
     * value is then taken as the increase. A zone pair new in {@code newer} started from zero.
     *
     * @throws IllegalArgumentException when {@code newer} is not later than {@code older}
     */
    static ZoneRates between(ZoneSample older, ZoneSample newer) {
        double seconds = (newer.nanos() - older.nanos()) / 1e9;
        if (seconds <= 0) {
            throw new IllegalArgumentException(
                    "samples: " + seconds + " s apart (expected: the newer one later than the older one)");
        }
        Map<ZonePair, Traffic> rates = new TreeMap<>();
        newer.byProxy().forEach((proxy, now) -> {
            Map<ZonePair, Traffic> before = older.byProxy().get(proxy);
            if (before == null) {
                return; // first seen in this window: its counters span an unknown time
            }
            now.forEach((pair, total) -> {
                Traffic was = before.getOrDefault(pair, Traffic.NONE);
                Traffic increase =
                        new Traffic(increase(was.requests(), total.requests()), increase(was.bytes(), total.bytes()));
                rates.merge(
                        pair, new Traffic(increase.requests() / seconds, increase.bytes() / seconds), Traffic::plus);
            });
        });
        return new ZoneRates(seconds, rates);
    }

    private static double increase(double before, double now) {
        return now >= before ? now - before : now;
    }

    Traffic total() {
        return perSecond.values().stream().reduce(Traffic.NONE, Traffic::plus);
    }

    Traffic crossZone() {
        return perSecond.entrySet().stream()
                .filter(e -> e.getKey().crossZone())
                .map(Map.Entry::getValue)
                .reduce(Traffic.NONE, Traffic::plus);
    }

    /** The cross-zone share of requests, 0..1 (0 without traffic). */
    double crossZoneRequestShare() {
        double total = total().requests();
        return total == 0 ? 0 : crossZone().requests() / total;
    }

    /** The cross-zone share of bytes, 0..1 (0 without traffic). */
    double crossZoneByteShare() {
        double total = total().bytes();
        return total == 0 ? 0 : crossZone().bytes() / total;
    }

    /** Cross-zone bytes/s × 86,400 / 10^9 × the price per GB: what a day at this rate costs. */
    double crossZoneCostPerDay(double pricePerGb) {
        return crossZone().bytes() * SECONDS_PER_DAY / BYTES_PER_GB * pricePerGb;
    }
}

package io.zonemesh.cli.demo;

import java.util.Map;
import java.util.TreeMap;

/**
 * One client's requests in one phase, by the zone that answered.
 *
 * @param crossZonePercent answered from another zone, as a share of answered requests
 */
public record ZoneCounts(
        String client, String zone, int total, Map<String, Integer> byZone, int errors, double crossZonePercent) {

    public ZoneCounts {
        byZone = java.util.Collections.unmodifiableMap(new TreeMap<>(byZone));
    }

    public int inZone(String z) {
        return byZone.getOrDefault(z, 0);
    }

    static ZoneCounts of(String client, String zone, int total, Map<String, Integer> byZone, int errors) {
        int answered = byZone.values().stream().mapToInt(Integer::intValue).sum();
        int cross = answered - byZone.getOrDefault(zone, 0);
        double pct = answered == 0 ? 0 : Math.round(1000.0 * cross / answered) / 10.0;
        return new ZoneCounts(client, zone, total, byZone, errors, pct);
    }
}
